using Caldera.Calendars.Providers;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Storage;

namespace Caldera.Dav.Nodes;

/// <summary>A resource the engine can describe: root, the two top collections, a principal, a home, a calendar, an object.</summary>
public abstract record DavNode(string Href)
{
    public virtual bool IsCollection => true;
}

/// <summary>"/": where discovery starts (RFC 6764 points here).</summary>
public sealed record RootNode() : DavNode("/");

/// <summary>"/principals/" or "/calendars/": lists only the signed-in user's entry.</summary>
public sealed record ContainerNode(string Name) : DavNode("/" + Name + "/");

public sealed record PrincipalNode(UserRecord User) : DavNode(Hrefs.Principal(User.UserName));

public sealed record HomeNode(string Owner) : DavNode(Hrefs.Home(Owner));

public sealed record CalendarNode(string Owner, HomeCalendar Entry) : DavNode(Hrefs.Calendar(Owner, Entry.Segment))
{
    public ICalendar Calendar => Entry.Calendar;

    /// <summary>
    /// The owner's scheduling inbox (RFC 6638 §2.2): the store calendar "inbox" (or <see cref="EmptyInbox"/> before the
    /// first delivery). Served like a calendar for reads, sync and DELETE of its items, but typed CALDAV:schedule-inbox.
    /// </summary>
    public bool IsScheduleInbox => Entry.Segment == ScheduleCollections.Inbox;

    /// <summary>On the inbox: the href of CALDAV:schedule-default-calendar-URL (RFC 6638 §9.2), or null when the owner has none.</summary>
    public string? ScheduleDefaultCalendar { get; init; }
}

/// <summary>The owner's scheduling outbox (RFC 6638 §2.1): the target of free-busy POSTs; it has no members.</summary>
public sealed record OutboxNode(string Owner) : DavNode(Hrefs.Calendar(Owner, ScheduleCollections.Outbox));

public sealed record ObjectNode(CalendarNode Parent, ICalendarObject Object) : DavNode(Parent.Href + Uri.EscapeDataString(Object.Name))
{
    public override bool IsCollection => false;
}

/// <summary>The URL space, in one place.</summary>
public static class Hrefs
{
    public const string Principals = "principals";
    public const string Calendars = "calendars";

    public static string Principal(string user) => DavPath.Href(true, Principals, user);
    public static string Home(string user) => DavPath.Href(true, Calendars, user);
    public static string Calendar(string user, string segment) => DavPath.Href(true, Calendars, user, segment);
    public static string Inbox(string user) => Calendar(user, ScheduleCollections.Inbox);
    public static string Outbox(string user) => Calendar(user, ScheduleCollections.Outbox);
    public static string Object(string user, string segment, string name) => DavPath.Href(false, Calendars, user, segment, name);
}
