namespace Caldera.Storage;

/// <summary>If-Match / If-None-Match against the current DAV ETag (null: the object is absent), RFC 9110 §13.1.</summary>
static class Preconditions
{
    public static bool Pass(WriteConditions conditions, string? currentETag)
    {
        if (conditions.IfMatch.Count > 0)
        {
            // If-Match uses the strong comparison: weak tags never match.
            if (currentETag is null || !conditions.IfMatch.Any(t => t.Trim() == "*" || t.Trim() == currentETag))
                return false;
        }
        if (conditions.IfNoneMatch.Count > 0 && currentETag is not null)
        {
            // If-None-Match uses the weak comparison.
            if (conditions.IfNoneMatch.Any(t => t.Trim() == "*" || Opaque(t) == Opaque(currentETag)))
                return false;
        }
        return true;
    }

    static string Opaque(string tag)
    {
        tag = tag.Trim();
        return tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
    }
}
