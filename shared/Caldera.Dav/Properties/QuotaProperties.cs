using System.Globalization;
using System.Xml.Linq;
using Caldera.Calendars.Providers.Store;
using Caldera.Dav.Nodes;
using Caldera.Storage;
using Caldera.Storage.Quota;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Properties;

/// <summary>
/// RFC 4331 DAV:quota-used-bytes and DAV:quota-available-bytes, on the user's calendar home (the user's total) and on the
/// user's own stored calendars (used: that calendar's bodies; available: what the user may still add anywhere). Neither
/// is in allprop (§3), so the owner's usage (one query over the calendar rows) is read only when a PROPFIND names one.
/// </summary>
public static class QuotaProperties
{
    public static readonly XName Used = D + "quota-used-bytes", Available = D + "quota-available-bytes";
    const string ItemKey = "Caldera.QuotaUsage";

    public static IEnumerable<LiveProperty> Create(QuotaOptions quota) =>
    [
        new(Used, (n, ctx) => n switch
        {
            HomeNode h when h.Owner == ctx.User && Loaded(ctx) is { } usage => Text(usage.Bytes),
            CalendarNode { Calendar: StoreCalendar { Record.UsedBytes: { } bytes } c } when c.Owner == ctx.User => Text(bytes),
            _ => null,
        }, InAllProp: false),
        new(Available, (n, ctx) => OwnerOf(n) == ctx.User && Loaded(ctx) is { } usage ? Text(quota.AvailableBytes(usage)) : null, InAllProp: false),
    ];

    /// <summary>Reads the user's usage for a PROPFIND that names a quota property of the user's home or calendars.</summary>
    public static async Task PreloadAsync(DavContext ctx, ICalendarStore store, PropertyPlan plan, DavNode node, IEnumerable<DavNode> children)
    {
        if (!plan.Named.Any(e => e.Name == Used || e.Name == Available))
            return;
        if (!children.Prepend(node).Any(n => OwnerOf(n) == ctx.User))
            return;
        ctx.Http.Items[ItemKey] = await store.GetUsageAsync(ctx.User, ctx.Cancellation);
    }

    /// <summary>The owner of a node that carries quota properties: a home, or a calendar of the user's own store.</summary>
    static string? OwnerOf(DavNode node) => node switch
    {
        HomeNode h => h.Owner,
        CalendarNode { Calendar: StoreCalendar c } => c.Owner,
        _ => null,
    };

    static UserUsage? Loaded(DavContext ctx) => ctx.Http.Items.TryGetValue(ItemKey, out var value) ? value as UserUsage : null;

    static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
