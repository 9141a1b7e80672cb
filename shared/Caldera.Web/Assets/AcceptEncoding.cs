namespace Caldera.Web.Assets;

/// <summary>Whether an Accept-Encoding header (RFC 9110 §12.5.3) allows a content coding: named or "*", with q &gt; 0.</summary>
public static class AcceptEncoding
{
    public static bool Allows(string? header, string coding)
    {
        if (string.IsNullOrWhiteSpace(header))
            return false;
        double? named = null, wildcard = null;
        foreach (var item in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            foreach (var parameter in parts.Skip(1))
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                    && !double.TryParse(parameter[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out q))
                    q = 0;
            if (string.Equals(parts[0], coding, StringComparison.OrdinalIgnoreCase))
                named = Math.Max(named ?? 0, q);
            else if (parts[0] == "*")
                wildcard = q;
        }
        return (named ?? wildcard ?? 0) > 0;
    }
}
