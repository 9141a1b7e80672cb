using Caldera.Calendars.Providers;
using Caldera.Storage;

namespace Caldera.Dav.Scheduling;

/// <summary>
/// If-Schedule-Tag-Match (RFC 6638 §8.3): the write goes ahead only when the object exists and its Schedule-Tag is the
/// one named. When it is, the write is pinned to the ETag of the object that was compared, so a change made in between
/// still fails the store's atomic check (412) instead of slipping past the tag test.
/// </summary>
public static class ScheduleTagMatch
{
    public const string Header = "If-Schedule-Tag-Match";

    /// <summary>The tag the request names (quoted, as sent), or null when the header is absent.</summary>
    public static string? From(DavContext ctx)
    {
        var values = ctx.Request.Headers[Header];
        if (values.Count == 0)
            return null;
        var tag = string.Join(",", values.Select(v => v ?? "")).Trim();
        // The header takes exactly one entity-tag (RFC 6638 §8.3); a list or a "*" is not a tag.
        if (tag.Length < 2 || tag[0] != '"' || tag[^1] != '"' || tag.IndexOf('"', 1) != tag.Length - 1)
            throw DavException.BadRequest("If-Schedule-Tag-Match must name one quoted Schedule-Tag");
        return tag;
    }

    /// <summary>
    /// Checks <paramref name="tag"/> (null: no header) against <paramref name="existing"/>: 412 when it does not match,
    /// else the client's conditions narrowed to that object's ETag.
    /// </summary>
    public static WriteConditions Apply(string? tag, ICalendarObject? existing, WriteConditions conditions)
    {
        if (tag is null)
            return conditions;
        if (existing?.ScheduleTag is not { } current || current != tag)
            throw DavException.PreconditionFailed("the object's Schedule-Tag does not match If-Schedule-Tag-Match");
        if (!conditions.HoldFor(existing.ETag))
            throw DavException.PreconditionFailed("the resource's ETag does not match the request's conditions");
        return conditions with { IfMatch = [existing.ETag] };
    }
}
