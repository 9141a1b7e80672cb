using Ical.Net;
using Ical.Net.CalendarComponents;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// RFC 6638 §3 implicit scheduling as a pure function of the owner's copy before and after a client's write:
/// which role the owner has, whether the change is allowed (§3.2.4), the iTIP messages (RFC 5546) and the copy to store.
/// </summary>
/// <remarks>
/// Choices where the RFCs leave room: the server never raises SEQUENCE (the organizer's client does, RFC 5546 §2.1.4;
/// CANCELs carry the highest SEQUENCE of the copies, which ItipApplier accepts as not older); DTSTAMP orders updates of
/// one SEQUENCE. Every client write or delete of a scheduling object resource changes the Schedule-Tag; only the
/// server's own merges of replies keep it (§3.2.10), and those are not planned here.
/// </remarks>
public sealed class SchedulingPlanner(TimeProvider? time = null) : ISchedulingPlanner
{
    /// <summary>
    /// More ATTENDEEs than this on one component is refused (CALDAV:max-attendees-per-instance, RFC 4791 §5.2.9): each
    /// is a message to queue, and a PUT must not turn into an unbounded mailing.
    /// </summary>
    public const int MaxAttendeesPerInstance = 1000;

    readonly TimeProvider time = time ?? TimeProvider.System;

    public SchedulingPlan PlanWrite(Calendar? before, Calendar after, IReadOnlySet<string> ownerAddresses, Func<string, string> deliveryStatus)
    {
        var next = SchedulingObject.From(after);
        if (next is null)
            return SchedulingPlan.NotScheduling;
        var previous = SchedulingObject.From(before);
        if (previous is not null && previous.Uid != next.Uid)
            previous = null; // another event under the same name: nothing of the old one carries over
        var beforeRole = previous?.RoleFor(ownerAddresses) ?? SchedulingRole.None;
        var afterRole = next.OrganizersDiffer ? RoleIfAnyOrganizer(next, ownerAddresses) : next.RoleFor(ownerAddresses);
        if (beforeRole == SchedulingRole.None && afterRole == SchedulingRole.None)
            return SchedulingPlan.NotScheduling;

        if (ChangePolicy.Check(previous, beforeRole, next, ownerAddresses) is { } refusal)
            return new SchedulingPlan(afterRole == SchedulingRole.None ? beforeRole : afterRole, null, [], false, refusal);

        var builder = Builder();
        if (beforeRole == SchedulingRole.Organizer || afterRole == SchedulingRole.Organizer)
        {
            if (next.Components.Values.Any(c => ((UniqueComponent)c).Attendees.Count > MaxAttendeesPerInstance))
                return new SchedulingPlan(SchedulingRole.Organizer, null, [], false,
                    new SchedulingRefusal("max-attendees-per-instance", $"at most {MaxAttendeesPerInstance} ATTENDEEs per instance are scheduled"));
            var (messages, statuses) = new OrganizerPlanner(builder).Plan(
                beforeRole == SchedulingRole.Organizer ? previous : null,
                afterRole == SchedulingRole.Organizer ? next : null,
                ownerAddresses, deliveryStatus);
            return new SchedulingPlan(SchedulingRole.Organizer, StoredCopy.Apply(after, statuses, null), messages, true);
        }

        var me = next.OwnerAttendee(ownerAddresses)!;
        var (reply, due) = new AttendeePlanner(builder).PlanWrite(beforeRole == SchedulingRole.Attendee ? previous : null, next, me);
        var organizerStatus = !due ? null : reply is null ? "3.7" : deliveryStatus(reply.Recipient);
        return new SchedulingPlan(SchedulingRole.Attendee, StoredCopy.Apply(after, new Dictionary<string, string>(), organizerStatus),
            reply is null ? [] : [reply], true);
    }

    public SchedulingPlan PlanDelete(Calendar before, IReadOnlySet<string> ownerAddresses)
    {
        var previous = SchedulingObject.From(before);
        var role = previous?.RoleFor(ownerAddresses) ?? SchedulingRole.None;
        var builder = Builder();
        switch (role)
        {
            case SchedulingRole.Organizer:
                var (messages, _) = new OrganizerPlanner(builder).Plan(previous, null, ownerAddresses, _ => "");
                return new SchedulingPlan(role, null, messages, true);
            case SchedulingRole.Attendee:
                var (reply, _) = new AttendeePlanner(builder).PlanDelete(previous!, previous!.OwnerAttendee(ownerAddresses)!);
                return new SchedulingPlan(role, null, reply is null ? [] : [reply], true);
            default:
                return SchedulingPlan.NotScheduling;
        }
    }

    MessageBuilder Builder() => new(time.GetUtcNow().UtcDateTime);

    /// <summary>With conflicting ORGANIZERs the role is unclear; it is scheduling (and refused) if any names the owner or the owner attends.</summary>
    static SchedulingRole RoleIfAnyOrganizer(SchedulingObject o, IReadOnlySet<string> ownerAddresses) =>
        o.Organizers.Any(ownerAddresses.Contains) ? SchedulingRole.Organizer
        : o.OwnerAttendee(ownerAddresses) is not null ? SchedulingRole.Attendee : SchedulingRole.None;
}
