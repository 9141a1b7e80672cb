namespace Caldera.Imip.Mime;

/// <summary>
/// Carries a refusal out of the reader's helpers to <see cref="ImipMailReader"/>, which turns it into a
/// <see cref="MailReadResult"/>; it never leaves the reader.
/// </summary>
internal sealed class MailRefusedException(string code, string reason) : Exception(reason)
{
    public string Code { get; } = code;
}
