namespace Caldera.Storage.Emulator;

/// <summary>The ports of Azurite's three services; 0 asks Azurite to bind a free one itself (and report it).</summary>
public readonly record struct AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Azurite picks the ports: nothing can take them between the pick and the bind.</summary>
    public static readonly AzuritePorts Any = new(0, 0, 0);

    public override string ToString() => $"blob {Blob}, queue {Queue}, table {Table}";
}
