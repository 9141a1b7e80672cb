namespace Caldera.Storage.Emulator;

/// <summary>Azurite did not start; the message holds the command and what Azurite printed on each attempt.</summary>
public sealed class AzuriteStartException(string message) : InvalidOperationException(message);
