using Caldera.Imip.Itip;
using Caldera.Scheduling.Planning;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Scheduling.Tests.Planning;

/// <summary>Runs the planner on fixture text and reads its results back the way recipients and the store would.</summary>
internal static class Plans
{
    static readonly SchedulingPlanner Planner = new(new FixedClock());

    /// <summary>Caldera users (example.com) are delivered internally, everyone else is queued as email.</summary>
    public static string Delivery(string address) => address.EndsWith("@example.com", StringComparison.Ordinal) ? "1.2" : "1.1";

    public static SchedulingPlan Write(string? before, string after, string owner = Ics.Alice) =>
        Planner.PlanWrite(before is null ? null : Ics.Load(before), Ics.Load(after), new HashSet<string> { owner }, Delivery);

    public static SchedulingPlan WriteAs(string? before, string after, params string[] owner) =>
        Planner.PlanWrite(before is null ? null : Ics.Load(before), Ics.Load(after), owner.ToHashSet(), Delivery);

    public static SchedulingPlan Delete(string before, string owner = Ics.Alice) =>
        Planner.PlanDelete(Ics.Load(before), new HashSet<string> { owner });

    /// <summary>The one message to <paramref name="recipient"/>, checked for the shape every iTIP message must have and parsed back by Caldera's own iTIP reader.</summary>
    public static ItipMessage Only(SchedulingPlan plan, string recipient, string method)
    {
        var message = Assert.Single(plan.Messages, m => m.Recipient == recipient);
        Assert.Equal(method, message.Method);
        return Parsed(message);
    }

    /// <summary>Every message is parsed back with no refusal and has METHOD, DTSTAMP now, CRLF lines, no VALARM and no SCHEDULE-* parameter.</summary>
    public static ItipMessage Parsed(PlannedMessage message)
    {
        var (parsed, refusal) = ItipParser.Parse(message.Method, message.Text);
        Assert.Null(refusal);
        Assert.NotNull(parsed);
        Assert.Equal(message.Uid, parsed.Uid);
        Assert.DoesNotContain("\n", message.Text.Replace("\r\n", ""));
        Assert.Contains("\r\nMETHOD:" + message.Method + "\r\n", message.Text);
        var unfolded = message.Text.Replace("\r\n ", "");
        Assert.DoesNotContain("VALARM", unfolded);
        Assert.DoesNotContain("SCHEDULE-", unfolded);
        Assert.DoesNotContain("X-CALDERA", unfolded);
        Assert.All(parsed.Items, i => Assert.Equal(FixedClock.Now.UtcDateTime, ItipOrdering.Stamp(i)));
        return parsed;
    }

    /// <summary>The RECURRENCE-IDs of the message's components as UTC text, "" for the master.</summary>
    public static string[] Instances(ItipMessage message) =>
        message.Items.Select(i => i.InstanceId()?.AsUtc.ToString("yyyyMMdd'T'HHmmss'Z'") ?? "").Order().ToArray();

    public static Attendee[] AttendeesOf(RecurringComponent component) => ((UniqueComponent)component).Attendees.ToArray();

    public static string[] AttendeeAddresses(RecurringComponent component) =>
        AttendeesOf(component).Select(a => CalendarAddress.Normalize(a.Value)!).Order().ToArray();

    /// <summary>A parameter of the first ATTENDEE (or ORGANIZER) with <paramref name="address"/> in the stored text.</summary>
    public static string? AttendeeParameter(string storedText, string address, string parameter) =>
        Ics.Load(storedText).Children.OfType<UniqueComponent>().SelectMany(c => c.Attendees)
            .First(a => CalendarAddress.Normalize(a.Value) == address).Parameters.Get(parameter);

    public static string? OrganizerParameter(string storedText, string parameter) =>
        Ics.Load(storedText).Children.OfType<UniqueComponent>().First(c => c.Organizer is not null).Organizer!.Parameters.Get(parameter);
}
