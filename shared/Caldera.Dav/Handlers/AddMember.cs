using Caldera.Calendars.Providers;
using Caldera.Dav.Nodes;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav.Handlers;

/// <summary>
/// RFC 5995: a calendar's "Add-Member" URI, where a POST stores its body as a new member under a name the server picks.
/// It is the calendar's URL with the query "?add-member": a resource distinct from the collection (§3.1 lets POST to the
/// collection keep other meanings), on the same server, and routed by the same catch-all path as every DAV request.
/// </summary>
public static class AddMember
{
    public const string Query = "?add-member";

    /// <summary>The DAV:add-member href of <paramref name="calendar"/>, or null where the user cannot create objects.</summary>
    public static string? HrefFor(CalendarNode calendar) => AcceptsMembers(calendar) ? calendar.Href + Query : null;

    /// <summary>Where a PUT of a new object would be allowed: a writable calendar the user may write, not the inbox.</summary>
    public static bool AcceptsMembers(CalendarNode calendar) =>
        !calendar.IsScheduleInbox && calendar.Calendar is IWritableCalendar &&
        calendar.Calendar.Privileges.HasFlag(CalendarPrivileges.WriteContent);

    /// <summary>True when the request targets an Add-Member URI (the query is exactly "add-member").</summary>
    public static bool IsTarget(HttpRequest request) =>
        string.Equals(request.QueryString.Value, Query, StringComparison.Ordinal);
}
