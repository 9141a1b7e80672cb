using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Storage;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>Turns a store <see cref="WriteResult"/> into the HTTP answer every writing method gives.</summary>
public static class WriteOutcome
{
    /// <summary>RFC 4331 §6: a write that would pass the owner's quota is 507 with DAV:quota-not-exceeded.</summary>
    public static DavException QuotaExceeded() =>
        new(507, "this write would pass the calendar owner's storage quota; nothing was changed", new XElement(D + "quota-not-exceeded"));

    /// <param name="sendETag">False when the stored body differs from the one sent (RFC 4791 §5.3.4: then no ETag).</param>
    public static void Apply(DavContext ctx, WriteResult result, string owner, string calendarSegment, bool sendETag = true)
    {
        switch (result.Status)
        {
            case WriteStatus.Created:
            case WriteStatus.Updated:
                ctx.Response.StatusCode = result.Status == WriteStatus.Created ? 201 : 204;
                if (result.ETag is not null && sendETag)
                    ctx.Response.Headers.ETag = result.ETag;
                return;
            case WriteStatus.Deleted:
                ctx.Response.StatusCode = 204;
                return;
            case WriteStatus.PreconditionFailed:
                throw DavException.PreconditionFailed("the resource's ETag does not match the request's conditions");
            case WriteStatus.UidConflict:
                throw DavException.Forbidden("another object in this calendar has the same UID",
                    new XElement(C + "no-uid-conflict",
                        new XElement(D + "href", Hrefs.Object(owner, result.ConflictingCalendar ?? calendarSegment, result.ConflictingName ?? ""))));
            case WriteStatus.CalendarNotFound:
                throw DavException.Conflict("the calendar does not exist");
            case WriteStatus.NotFound:
                throw DavException.NotFound();
            case WriteStatus.QuotaExceeded:
                throw QuotaExceeded();
            default:
                // The store gave up after many concurrent writers kept winning: a transient state, so 503 + Retry-After.
                ctx.Response.Headers.RetryAfter = "1";
                throw new DavException(503, "the calendar is busy with other writes; try again");
        }
    }
}
