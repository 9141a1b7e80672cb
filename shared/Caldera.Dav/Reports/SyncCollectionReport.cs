using System.Xml.Linq;
using Caldera.Calendars.Providers;
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
        var request = WithAProperty(PropRequest.From(body, required: false));
        var limit = SyncLimit.Read(body);
        if (limit is { } nresults)
        {
            await RunLimitedAsync(ctx, calendar, token, request, nresults);
            return;
        }
        string newToken;
        PreparedObjectResponses prepared;
        IEnumerable<ChangedName> gone = [];
        if (token.Length == 0)
        {
            // The token is taken before listing: anything written meanwhile shows up again next time, never missed.
            newToken = calendar.Calendar.SyncToken!;
            var all = await calendar.Calendar.GetObjectsAsync(ctx.Cancellation);
            prepared = await responses.PrepareAsync(ctx, all.Select(o => new ObjectNode(calendar, o)).ToList(), request);
        }
        else
        {
            var changes = await calendar.Calendar.GetChangesAsync(token, ctx.Cancellation)
                ?? throw DavException.Forbidden("the sync token is not valid for this collection", new XElement(D + "valid-sync-token"));
            newToken = changes.SyncToken;
            var live = changes.Changes.Where(c => !c.Deleted).Select(c => c.Name).ToList();
            var found = await calendar.Calendar.GetObjectsAsync(live, ctx.Cancellation);
            prepared = await responses.PrepareAsync(ctx, found.Select(o => new ObjectNode(calendar, o)).ToList(), request);
            var present = found.Select(f => f.Name).ToHashSet();
            gone = changes.Changes.Where(c => !present.Contains(c.Name));
        }
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        await prepared.WriteAsync(multistatus);
        foreach (var change in gone)
            await multistatus.WriteStatusAsync(calendar.Href + Uri.EscapeDataString(change.Name), 404);
        await multistatus.WriteAsync(new XElement(D + "sync-token", newToken));
        await multistatus.CompleteAsync();
    }

    /// <summary>
    /// RFC 6578 §3.2: a changed member's response carries at least one propstat. An empty DAV:prop would leave it
    /// none, so it asks for DAV:getetag: the property a syncing client needs, and it costs no body read.
    /// </summary>
    static PropRequest WithAProperty(PropRequest request) =>
        request is { Kind: PropRequestKind.Prop, Requested.Count: 0 } ? new(PropRequestKind.Prop, [new XElement(D + "getetag")]) : request;

    /// <summary>
    /// DAV:limit (RFC 6578 §3.8, §3.7): at most nresults members, oldest change first, cut at a revision so the
    /// returned token continues without losing or repeating a change; when more remain, a 507 response for the
    /// collection with DAV:number-of-matches-within-limits. An initial sync pages through the change log from the
    /// calendar's creation (see <see cref="SyncLimit"/>).
    /// </summary>
    async Task RunLimitedAsync(DavContext ctx, CalendarNode calendar, string token, PropRequest request, int nresults)
    {
        if (calendar.Calendar is not ILimitedChangeLog log)
            throw SyncLimit.CannotHonour("this collection cannot limit its sync results");
        var page = await log.GetChangesAsync(token.Length == 0 ? null : token, nresults, ctx.Cancellation)
            ?? throw DavException.Forbidden("the sync token is not valid for this collection", new XElement(D + "valid-sync-token"));
        if (page.Unsplittable)
            throw SyncLimit.CannotHonour($"one change touches more than {nresults} members");
        var live = page.Changes.Where(c => !c.Deleted).Select(c => c.Name).ToList();
        var found = await calendar.Calendar.GetObjectsAsync(live, ctx.Cancellation);
        var prepared = await responses.PrepareAsync(ctx, found.Select(o => new ObjectNode(calendar, o)).ToList(), request);
        var present = found.Select(f => f.Name).ToHashSet();
        using var multistatus = new MultistatusWriter(ctx.Response, ctx.Cancellation);
        await prepared.WriteAsync(multistatus);
        // Deleted since (or, on an initial sync, between the log read and the index read): the client learns it
        // now, or - on an initial sync - never knew it, and a 404 for an unknown member is harmless.
        foreach (var gone in page.Changes.Where(c => !present.Contains(c.Name)))
            await multistatus.WriteStatusAsync(calendar.Href + Uri.EscapeDataString(gone.Name), 404);
        // The 507 is part of the answer (RFC 6578 §3.7), not an error: it was decided with the page, before writing.
        if (page.Truncated)
            await multistatus.WriteAsync(new XElement(D + "response",
                new XElement(D + "href", calendar.Href),
                new XElement(D + "status", Multistatus.StatusLine(507)),
                new XElement(D + "error", new XElement(D + "number-of-matches-within-limits"))));
        await multistatus.WriteAsync(new XElement(D + "sync-token", page.SyncToken));
        await multistatus.CompleteAsync();
    }
}
