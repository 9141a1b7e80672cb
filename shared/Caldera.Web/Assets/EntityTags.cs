namespace Caldera.Web.Assets;

/// <summary>If-None-Match against one entity tag, with the weak comparison RFC 9110 §13.1.2 prescribes for it.</summary>
public static class EntityTags
{
    public static bool NoneMatchHits(IEnumerable<string?> ifNoneMatch, string etag)
    {
        foreach (var header in ifNoneMatch)
        {
            if (header is null)
                continue;
            foreach (var raw in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (raw == "*")
                    return true;
                var tag = raw.StartsWith("W/", StringComparison.Ordinal) ? raw[2..] : raw;
                if (string.Equals(tag, etag, StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
    }
}
