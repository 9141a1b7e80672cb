using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Reports;

/// <summary>
/// DAV:sync-collection (RFC 6578): an empty token lists every member; a token lists what changed since,
/// with removed members as 404 responses; an unknown token is refused with DAV:valid-sync-token.
/// </summary>
public sealed class SyncCollectionReport(ObjectResponses responses) : IReport
{
    public XName Name => D + "sync-collection";

    public bool AppliesTo(DavNode node) => node is CalendarNode c && c.Calendar.SyncToken is not null;

    public async Task RunAsync(DavContext ctx, DavNode node, XElement body)
    {
        var calendar = (CalendarNode)node;
        var level = body.Element(D + "sync-level")?.Value.Trim();
        if (level is not null and not "1" and not "infinite")
            throw DavException.BadRequest("sync-level must be 1 or infinite");
        var token = body.Element(D + "sync-token")?.Value.Trim() ?? "";
        var request = PropRequest.From(body, required: false);
        var limit = SyncLimit.Read(body);
        if (limit is { } nresults)
        {
            await RunLimitedAsync(ctx, calendar, token, request, nresults);
            return;
        }
        var multistatus = new Multistatus();
        string newToken;
        if (token.Length == 0)
        {
            // The token is taken before listing: anything written meanwhile shows up again next time, never missed.
            newToken = calendar.Calendar.SyncToken!;
            var all = await calendar.Calendar.GetObjectsAsync(ctx.Cancellation);
            await responses.AddAsync(multistatus, ctx, all.Select(o => new ObjectNode(calendar, o)).ToList(), request);
        }
        else
        {
            var changes = await calendar.Calendar.GetChangesAsync(token, ctx.Cancellation)
                ?? throw DavException.Forbidden("the sync token is not valid for this collection", new XElement(D + "valid-sync-token"));
            newToken = changes.SyncToken;
            var live = changes.Changes.Where(c => !c.Deleted).Select(c => c.Name).ToList();
            var found = await calendar.Calendar.GetObjectsAsync(live, ctx.Cancellation);
            await responses.AddAsync(multistatus, ctx, found.Select(o => new ObjectNode(calendar, o)).ToList(), request);
            var present = found.Select(f => f.Name).ToHashSet();
            foreach (var gone in changes.Changes.Where(c => !present.Contains(c.Name)))
                multistatus.AddStatus(calendar.Href + Uri.EscapeDataString(gone.Name), 404);
        }
        multistatus.Add(new XElement(D + "sync-token", newToken));
        await DavXml.WriteAsync(ctx.Response, 207, multistatus.Root, ctx.Cancellation);
    }

    /// <summary>
    /// DAV:limit (RFC 6578 §3.8, §3.7): at most nresults members, oldest change first, cut at a revision so the
    /// returned token continues without losing or repeating a change; when more remain, a 507 response for the
    /// collection with DAV:number-of-matches-within-limits. An initial sync pages through the change log from the
    /// calendar's creation (see <see cref="SyncLimit"/>).
    /// </summary>
    async Task RunLimitedAsync(DavContext ctx, CalendarNode calendar, string token, PropRequest request, int nresults)
    {
        if (calendar.Calendar is not Caldera.Calendars.Providers.ILimitedChangeLog log)
            throw SyncLimit.CannotHonour("this collection cannot limit its sync results");
        var page = await log.GetChangesAsync(token.Length == 0 ? null : token, nresults, ctx.Cancellation)
            ?? throw DavException.Forbidden("the sync token is not valid for this collection", new XElement(D + "valid-sync-token"));
        if (page.Unsplittable)
            throw SyncLimit.CannotHonour($"one change touches more than {nresults} members");
        var multistatus = new Multistatus();
        var live = page.Changes.Where(c => !c.Deleted).Select(c => c.Name).ToList();
        var found = await calendar.Calendar.GetObjectsAsync(live, ctx.Cancellation);
        await responses.AddAsync(multistatus, ctx, found.Select(o => new ObjectNode(calendar, o)).ToList(), request);
        var present = found.Select(f => f.Name).ToHashSet();
        // Deleted since (or, on an initial sync, between the log read and the index read): the client learns it
        // now, or - on an initial sync - never knew it, and a 404 for an unknown member is harmless.
        foreach (var gone in page.Changes.Where(c => !present.Contains(c.Name)))
            multistatus.AddStatus(calendar.Href + Uri.EscapeDataString(gone.Name), 404);
        if (page.Truncated)
            multistatus.Add(new XElement(D + "response",
                new XElement(D + "href", calendar.Href),
                new XElement(D + "status", Multistatus.StatusLine(507)),
                new XElement(D + "error", new XElement(D + "number-of-matches-within-limits"))));
        multistatus.Add(new XElement(D + "sync-token", page.SyncToken));
        await DavXml.WriteAsync(ctx.Response, 207, multistatus.Root, ctx.Cancellation);
    }
}
