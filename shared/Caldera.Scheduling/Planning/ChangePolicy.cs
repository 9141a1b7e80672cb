namespace Caldera.Scheduling.Planning;

/// <summary>
/// The RFC 6638 §3.2.4 preconditions the planner can judge from the two copies alone (unique-scheduling-object-resource
/// needs the store and is checked by the caller).
/// </summary>
internal static class ChangePolicy
{
    public const string SameOrganizer = "same-organizer-in-all-components";
    public const string OrganizerChange = "allowed-organizer-scheduling-object-change";
    public const string AttendeeChange = "allowed-attendee-scheduling-object-change";

    public static SchedulingRefusal? Check(SchedulingObject? before, SchedulingRole beforeRole, SchedulingObject after, IReadOnlySet<string> ownerAddresses)
    {
        if (after.OrganizersDiffer)
            return new(SameOrganizer, "every component of a scheduling object resource must name the same ORGANIZER");
        if (beforeRole == SchedulingRole.Organizer && after.Organizer is { } organizer && !ownerAddresses.Contains(organizer))
            return new(OrganizerChange, "the organizer cannot hand the event to another ORGANIZER; remove the ORGANIZER (cancelling it) or create a new event");
        if (beforeRole == SchedulingRole.Attendee)
            return Attendee(before!, after, ownerAddresses);
        return null;
    }

    static SchedulingRefusal? Attendee(SchedulingObject before, SchedulingObject after, IReadOnlySet<string> ownerAddresses)
    {
        if (after.Organizer != before.Organizer)
            return Refuse("an attendee cannot change or remove the ORGANIZER");
        var me = before.OwnerAttendee(ownerAddresses)!;
        if (!after.Members.ContainsKey(me))
            return Refuse("an attendee cannot remove themselves from the ATTENDEEs; decline or delete the event instead");
        foreach (var (key, then) in before.Components)
        {
            if (!after.Components.TryGetValue(key, out var now))
            {
                // Removing an instance is declining it: with an EXDATE that takes it out of the series, or (invited to
                // single instances only, no series) by leaving it out.
                if (key == InstanceKeys.Master || after.Master is not null && !after.Exdates.Contains(key))
                    return Refuse("an attendee can remove an instance only by excluding it (EXDATE), not the series or an instance the organizer made");
                continue;
            }
            if (Significance.Schedule(then) != Significance.Schedule(now))
                return Refuse($"an attendee cannot change the time or recurrence of {Describe(key)}");
            if (!Others(before, key, me).SetEquals(Others(after, key, me)))
                return Refuse($"an attendee cannot add or remove other ATTENDEEs of {Describe(key)}");
        }
        foreach (var (key, now) in after.Components.Where(c => !before.Components.ContainsKey(c.Key)))
        {
            // A client answering one instance makes an override of it: it must be that instance, unchanged.
            if (key == InstanceKeys.Master || before.Master is not { } master || Significance.MovedFromMaster(master, now))
                return Refuse($"an attendee cannot add {Describe(key)} with its own time");
            if (!Others(before, InstanceKeys.Master, me).SetEquals(Others(after, key, me)))
                return Refuse($"an attendee cannot add or remove other ATTENDEEs of {Describe(key)}");
        }
        return null;
    }

    static HashSet<string> Others(SchedulingObject o, string key, string me) =>
        o.Members.Where(m => m.Key != me && m.Value.ContainsKey(key)).Select(m => m.Key).ToHashSet();

    static string Describe(string key) => key == InstanceKeys.Master ? "the event" : $"the instance {key}";

    static SchedulingRefusal Refuse(string reason) => new(AttendeeChange, reason);
}
