using Caldera.Imip.Itip;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// The organizer's side (RFC 6638 §3.2.1): per attendee and per instance, what the change from the stored copy to the
/// new one means to them — a REQUEST with the components they are in, a CANCEL of the instances (or the whole event)
/// they lost, or nothing when nothing they need to know changed (sabre/vobject's broker compares the same way).
/// </summary>
internal sealed class OrganizerPlanner(MessageBuilder builder)
{
    /// <summary>REQUEST texts by the instances they hold: attendees invited to the same instances get the same text, built once.</summary>
    readonly Dictionary<string, string> requests = new(StringComparer.Ordinal);

    /// <param name="before">The organizer's previous copy, or null (a create, or a copy that was not yet a scheduling object).</param>
    /// <param name="after">The new copy, or null when it no longer schedules anyone (deleted, attendees or ORGANIZER removed).</param>
    /// <returns>The messages, and per attendee address key that a message was due to, the SCHEDULE-STATUS to record.</returns>
    public (List<PlannedMessage> Messages, Dictionary<string, string> Statuses) Plan(
        SchedulingObject? before, SchedulingObject? after, IReadOnlySet<string> ownerAddresses, Func<string, string> deliveryStatus)
    {
        var messages = new List<PlannedMessage>();
        var statuses = new Dictionary<string, string>();
        var latest = (after ?? before)!;
        var organizer = latest.Organizer!;
        var attendees = (before?.Members.Keys ?? []).Union(after?.Members.Keys ?? []).Order(StringComparer.Ordinal).ToList();
        foreach (var attendee in attendees)
        {
            // Never a message to the organizer itself, under any of the owner's addresses.
            if (attendee == organizer || ownerAddresses.Contains(attendee))
                continue;
            var property = after?.Members.GetValueOrDefault(attendee)?.Values.First() ?? before!.Members[attendee].Values.First();
            if (ScheduleParameters.AgentOf(property.Parameters) != ScheduleAgent.Server)
                continue;
            var due = For(attendee, before, after);
            if (due.Count == 0)
                continue;
            if (!SchedulingObject.IsMailto(attendee))
            {
                statuses[attendee] = "3.7"; // RFC 6638 §3.2.9: invalid calendar user, no way to deliver to it
                continue;
            }
            statuses[attendee] = deliveryStatus(attendee);
            foreach (var (method, text) in due)
                messages.Add(new PlannedMessage(attendee, organizer, method, latest.Uid, text, Summary(latest)));
        }
        return (messages, statuses);
    }

    List<(string Method, string Text)> For(string attendee, SchedulingObject? before, SchedulingObject? after)
    {
        var due = new List<(string, string)>();
        var oldKeys = before?.Members.GetValueOrDefault(attendee)?.Keys.ToHashSet() ?? [];
        var newKeys = after?.Members.GetValueOrDefault(attendee)?.Keys.ToHashSet() ?? [];
        var sequence = Math.Max(Sequence(before), Sequence(after));

        if (newKeys.Count == 0 || after!.IsCancelled)
        {
            // Removed from the event, or the event is gone or cancelled: cancel what they had, once.
            if (before is null || oldKeys.Count == 0 || before.IsCancelled)
                return due;
            var whole = oldKeys.Contains(InstanceKeys.Master)
                ? [new InstanceRef(before.Master!)]
                : oldKeys.Order(StringComparer.Ordinal).Select(k => new InstanceRef(before.Components[k])).ToList();
            due.Add(("CANCEL", builder.Cancel(before, whole, attendee, sequence)));
            return due;
        }

        var cancelled = new Dictionary<string, InstanceRef>();
        if (before is not null && oldKeys.Count > 0 && !before.IsCancelled)
        {
            // An override they were in that is gone for them (removed, excluded, or they were taken off it).
            foreach (var key in oldKeys.Where(k => k != InstanceKeys.Master && !after.Attends(attendee, k)))
                cancelled[key] = new InstanceRef(before.Components[key]);
            // An instance of the series that a new EXDATE takes out.
            if (after.Master is { } master)
                foreach (var date in master.ExceptionDates.GetAllDates())
                {
                    var key = InstanceKeys.Of(date);
                    if (!before.Exdates.Contains(key) && !cancelled.ContainsKey(key) && before.Attends(attendee, key))
                        cancelled[key] = before.Components.TryGetValue(key, out var old) ? new InstanceRef(old) : new InstanceRef(before.Master!, date);
                }
            // Taken off the series but kept on some instances: the series is cancelled for them, the instances re-sent.
            if (oldKeys.Contains(InstanceKeys.Master) && !newKeys.Contains(InstanceKeys.Master))
                cancelled[InstanceKeys.Master] = new InstanceRef(before.Master!);
            // An override the organizer marked STATUS:CANCELLED.
            foreach (var key in newKeys.Where(k => k != InstanceKeys.Master && SchedulingObject.IsCancelledComponent(after.Components[k])))
                if (!before.Components.TryGetValue(key, out var old) || !SchedulingObject.IsCancelledComponent(old))
                    cancelled[key] = new InstanceRef(after.Components[key]);
        }
        if (cancelled.Count > 0)
            due.Add(("CANCEL", builder.Cancel(after, cancelled.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value), attendee, sequence)));

        var forced = after.Members[attendee].Values.Any(a => ScheduleParameters.ForceSendOf(a.Parameters) == "REQUEST");
        var isNew = before is null || oldKeys.Count == 0 || before.IsCancelled || cancelled.ContainsKey(InstanceKeys.Master)
                    || ScheduleParameters.AgentOf(before.Members[attendee].Values.First().Parameters) != ScheduleAgent.Server; // the server takes over from the client
        var changed = newKeys.Where(k => !cancelled.ContainsKey(k) && Changed(attendee, k, before, after)).ToHashSet();
        List<RecurringComponent> send;
        List<CalDateTime> excluded = [];
        if (forced || isNew || changed.Contains(InstanceKeys.Master))
        {
            // The whole event as they are invited to it.
            send = newKeys.Order(StringComparer.Ordinal).Select(k => after.Components[k]).ToList();
            if (newKeys.Contains(InstanceKeys.Master))
                excluded = after.Components.Where(c => c.Key != InstanceKeys.Master && !newKeys.Contains(c.Key))
                    .Select(c => c.Value.InstanceId()!).ToList();
        }
        else
            send = changed.Order(StringComparer.Ordinal).Select(k => after.Components[k]).ToList(); // only the instances that changed
        if (send.Count > 0)
        {
            var shape = string.Join(",", send.Select(InstanceKeys.Of)) + "/" + string.Join(",", excluded.Select(InstanceKeys.Of));
            if (!requests.TryGetValue(shape, out var text))
                requests[shape] = text = builder.Request(after, send, excluded);
            due.Add(("REQUEST", text));
        }
        return due;
    }

    /// <summary>Whether instance <paramref name="key"/> changed in a way <paramref name="attendee"/> must hear of.</summary>
    bool Changed(string attendee, string key, SchedulingObject? before, SchedulingObject after)
    {
        var now = after.Components[key];
        if (before is null)
            return true;
        var theirs = before.Members.GetValueOrDefault(attendee);
        if (before.Components.TryGetValue(key, out var then) && theirs is not null && theirs.TryGetValue(key, out var them))
            return Memo(changedInstances, key, () => Significance.Changed(then, now)
                       || key == InstanceKeys.Master && before.Exdates.Except(after.Exdates).Any()) // an instance back in the series
                   || Significance.OwnAttendeeChanged(them, after.Members[attendee][key]);
        if (key != InstanceKeys.Master && before.Master is { } master && before.Attends(attendee, key))
            return Memo(newOverrides, key, () => Significance.ChangedFromMaster(master, now)); // a new override of an instance they were already in
        return true; // an instance new to them
    }

    // Whether a component changed is the same for every attendee in it: compared once per plan, not once per attendee.
    readonly Dictionary<string, bool> changedInstances = new(StringComparer.Ordinal);
    readonly Dictionary<string, bool> newOverrides = new(StringComparer.Ordinal);

    static bool Memo(Dictionary<string, bool> memo, string key, Func<bool> compute)
    {
        if (!memo.TryGetValue(key, out var value))
            memo[key] = value = compute();
        return value;
    }

    static int Sequence(SchedulingObject? o) => o is null || o.Components.Count == 0 ? 0 : o.Components.Values.Max(c => c.Sequence);

    /// <summary>The SUMMARY for an email subject: one line (no CR, LF or other control character), at most 200 characters.</summary>
    internal static string? Summary(SchedulingObject o)
    {
        var text = (o.Master ?? o.Components.Values.First()).Properties.Get<string>("SUMMARY");
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var blanked = new string(text.Select(c => char.IsControl(c) || char.IsWhiteSpace(c) ? ' ' : c).ToArray());
        var line = string.Join(' ', blanked.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return line.Length == 0 ? null : line.Length <= 200 ? line : line[..200];
    }
}
