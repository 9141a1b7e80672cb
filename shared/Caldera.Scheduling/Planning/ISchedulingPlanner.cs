using Ical.Net;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// Pure RFC 6638 §3 logic, no storage: from the owner's copy before and after a change, the iTIP messages to send
/// (RFC 5546: REQUEST/CANCEL per attendee, instance-aware; REPLY to the organizer) and the copy to store.
/// </summary>
public interface ISchedulingPlanner
{
    /// <param name="before">The stored copy the write replaces, or null for a create.</param>
    /// <param name="after">The copy the client sent.</param>
    /// <param name="ownerAddresses">The calendar owner's calendar user addresses: lower-case emails, no "mailto:".</param>
    /// <param name="deliveryStatus">The SCHEDULE-STATUS for a recipient's email ("1.2" delivered to a Caldera user, "1.1" queued as email, "3.7" not deliverable…).</param>
    SchedulingPlan PlanWrite(Calendar? before, Calendar after, IReadOnlySet<string> ownerAddresses, Func<string, string> deliveryStatus);

    /// <summary>A delete of the owner's copy: CANCEL to every attendee (organizer) or a DECLINED REPLY (attendee).</summary>
    SchedulingPlan PlanDelete(Calendar before, IReadOnlySet<string> ownerAddresses);
}
