using Caldera.Storage;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>Reads If-Match / If-None-Match (RFC 9110 §13) into the conditions the store evaluates atomically.</summary>
public static class Conditions
{
    public static WriteConditions From(HttpRequest request) => new()
    {
        IfMatch = Tags(request.Headers.IfMatch),
        IfNoneMatch = Tags(request.Headers.IfNoneMatch),
    };

    static IReadOnlyList<string> Tags(Microsoft.Extensions.Primitives.StringValues values)
    {
        var list = new List<string>();
        foreach (var value in values)
        {
            if (value is null)
                continue;
            foreach (var raw in SplitTags(value))
                list.Add(raw);
        }
        return list;
    }

    /// <summary>Splits "a", W/"b", * on commas outside quotes.</summary>
    static IEnumerable<string> SplitTags(string header)
    {
        int start = 0;
        bool quoted = false;
        for (int i = 0; i <= header.Length; i++)
        {
            if (i == header.Length || header[i] == ',' && !quoted)
            {
                var tag = header[start..i].Trim();
                if (tag.Length > 0)
                    yield return tag;
                start = i + 1;
            }
            else if (header[i] == '"')
                quoted = !quoted;
        }
    }
}
