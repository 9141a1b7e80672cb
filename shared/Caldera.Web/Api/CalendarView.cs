using System.Text.Json.Serialization;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Sharing;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Providers.Subscriptions;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Dav.Nodes;

namespace Caldera.Web.Api;

/// <summary>A calendar of the user's home as the page shows it (GET calendars).</summary>
public sealed record CalendarView(
    string Id, string DisplayName, string? Description, string? Color, string Kind, string Owner, string Access, string Url,
    IReadOnlyList<string> Components,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FeedStatus,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source)
{
    public static CalendarView From(ApiContext ctx, HomeCalendar entry)
    {
        var calendar = entry.Calendar;
        var kind = KindOf(entry);
        var access = kind == "own" ? "owner" : calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent) ? "read-write" : "read";
        var feed = calendar as IFeedStatus;
        return new CalendarView(entry.Segment, calendar.DisplayName is { Length: > 0 } name ? name : entry.Segment, calendar.Description,
            ColorOf(calendar.Color), kind, calendar.Owner, access, ctx.Absolute(Hrefs.Calendar(ctx.User, entry.Segment)),
            calendar.SupportedComponents, feed?.FeedStatus, feed?.Source.AbsoluteUri);
    }

    /// <summary>own (the user's store), shared (another user's, through a share), subscription (a feed), other (any other provider).</summary>
    public static string KindOf(HomeCalendar entry) => entry.AppId switch
    {
        StoreCalendarProvider.Id => "own",
        SharedCalendarProvider.Id => "shared",
        IcsSubscriptionProvider.Id => "subscription",
        _ => "other",
    };

    /// <summary>The user's own calendar that the page may rename or delete (not the scheduling inbox).</summary>
    public static bool IsOwn(HomeCalendar entry) => KindOf(entry) == "own" && !ScheduleCollections.IsReserved(entry.Segment);

    /// <summary>The scheduling inbox is kept in the store but is not a calendar to show.</summary>
    public static bool IsShown(HomeCalendar entry) => !(KindOf(entry) == "own" && ScheduleCollections.IsReserved(entry.Segment));

    /// <summary>#rrggbb (an #rrggbbaa colour loses its alpha), or null.</summary>
    public static string? ColorOf(string? color) =>
        color is { Length: 7 or 9 } c && c[0] == '#' && c.Skip(1).All(char.IsAsciiHexDigit) ? c[..7].ToLowerInvariant() : null;
}
