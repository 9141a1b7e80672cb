using System.Text;

namespace Caldera.Web.Assets;

/// <summary>
/// An HTML page of the bundle with its one <c>{{CSP_NONCE}}</c> placeholder (in <c>&lt;meta name="csp-nonce"&gt;</c>),
/// split once so every answer is the two halves around a fresh nonce.
/// </summary>
public sealed class HtmlPage
{
    public const string NoncePlaceholder = "{{CSP_NONCE}}";

    readonly byte[] _before;
    readonly byte[] _after;

    public HtmlPage(BundleFile file)
    {
        var text = Encoding.UTF8.GetString(file.Content);
        var at = text.IndexOf(NoncePlaceholder, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(NoncePlaceholder, at + 1, StringComparison.Ordinal) >= 0)
            throw new InvalidOperationException($"{file.Path} must hold {NoncePlaceholder} exactly once.");
        _before = Encoding.UTF8.GetBytes(text[..at]);
        _after = Encoding.UTF8.GetBytes(text[(at + NoncePlaceholder.Length)..]);
    }

    /// <summary>The page with <paramref name="nonce"/> (base64, so nothing to escape in an attribute).</summary>
    public byte[] Render(string nonce)
    {
        var nonceBytes = Encoding.ASCII.GetBytes(nonce);
        var page = new byte[_before.Length + nonceBytes.Length + _after.Length];
        _before.CopyTo(page, 0);
        nonceBytes.CopyTo(page, _before.Length);
        _after.CopyTo(page, _before.Length + nonceBytes.Length);
        return page;
    }
}
