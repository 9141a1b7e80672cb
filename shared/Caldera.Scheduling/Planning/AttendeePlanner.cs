using Caldera.Imip.Itip;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// The attendee's side (RFC 6638 §3.2.2): each change of the owner's PARTSTAT, on the series or one instance, becomes
/// part of one REPLY to the organizer; an instance the attendee removed with an EXDATE is answered DECLINED.
/// </summary>
internal sealed class AttendeePlanner(MessageBuilder builder)
{
    const string NeedsAction = "NEEDS-ACTION";
    const string Declined = "DECLINED";

    /// <returns>The REPLY (or null) and whether one was due (so the ORGANIZER's SCHEDULE-STATUS is set even when it cannot be mailed).</returns>
    public (PlannedMessage? Reply, bool Due) PlanWrite(SchedulingObject? before, SchedulingObject after, string me)
    {
        if (!Schedules(after))
            return (null, false);
        var forced = after.Components.Values.Any(c => ((UniqueComponent)c).Organizer is { } o
                                                      && ScheduleParameters.ForceSendOf(o.Parameters) == "REPLY");
        var answers = new List<(InstanceRef, string)>();
        var mine = after.Members[me];
        foreach (var (key, attendee) in mine.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var component = after.Components[key];
            if (SchedulingObject.IsCancelledComponent(component))
                continue;
            var now = PartStat(attendee);
            var then = before is null ? NeedsAction : PartStatIn(before, me, key) ?? NeedsAction;
            if (now != then || forced)
                answers.Add((new InstanceRef(component), now));
        }
        // A new answer for the series is read by the organizer as the answer for every instance (RFC 5546 §3.2.3), so
        // the instances answered otherwise are restated after it.
        if (answers.Count > 0 && answers[0].Item1.Source.InstanceId() is null && mine.TryGetValue(InstanceKeys.Master, out var seriesAnswer))
            foreach (var (key, attendee) in mine.Where(m => m.Key != InstanceKeys.Master).OrderBy(m => m.Key, StringComparer.Ordinal))
                if (PartStat(attendee) != PartStat(seriesAnswer) && !answers.Any(a => InstanceKeys.Of(a.Item1.Source) == key)
                    && !SchedulingObject.IsCancelledComponent(after.Components[key]))
                    answers.Add((new InstanceRef(after.Components[key]), PartStat(attendee)));
        // An instance taken out by a new EXDATE is one the attendee declines (unless they declined the whole series).
        if (before is not null && after.Master is { } master && mine.TryGetValue(InstanceKeys.Master, out var series) && PartStat(series) != Declined)
            foreach (var date in master.ExceptionDates.GetAllDates())
            {
                var key = InstanceKeys.Of(date);
                if (before.Exdates.Contains(key) || !before.Attends(me, key) || PartStatIn(before, me, key) == Declined)
                    continue;
                answers.Add((before.Components.TryGetValue(key, out var old) ? new InstanceRef(old) : new InstanceRef(before.Master!, date), Declined));
            }
        // Invited to single instances only (no series): an instance left out is one the attendee declines.
        if (before is not null && after.Master is null)
            foreach (var (key, old) in before.Components.Where(c => c.Key != InstanceKeys.Master && !after.Components.ContainsKey(c.Key)))
                if (before.Members.GetValueOrDefault(me)?.TryGetValue(key, out var was) == true && PartStat(was) != Declined && !SchedulingObject.IsCancelledComponent(old))
                    answers.Add((new InstanceRef(old), Declined));
        return Reply(after, answers, me);
    }

    /// <summary>The attendee deleted their copy: DECLINED for whatever they had not declined yet.</summary>
    public (PlannedMessage? Reply, bool Due) PlanDelete(SchedulingObject before, string me)
    {
        if (!Schedules(before))
            return (null, false);
        var answers = before.Members[me]
            .Where(m => !SchedulingObject.IsCancelledComponent(before.Components[m.Key]) && PartStat(m.Value) != Declined)
            .OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => (new InstanceRef(before.Components[m.Key]), Declined)).ToList();
        return Reply(before, answers, me);
    }

    (PlannedMessage?, bool) Reply(SchedulingObject source, List<(InstanceRef, string)> answers, string me)
    {
        if (answers.Count == 0)
            return (null, false);
        if (!SchedulingObject.IsMailto(source.Organizer!) || !SchedulingObject.IsMailto(me))
            return (null, true);
        var text = builder.Reply(source, answers, me);
        return (new PlannedMessage(source.Organizer!, me, "REPLY", source.Uid, text, OrganizerPlanner.Summary(source)), true);
    }

    /// <summary>The server answers for the attendee only when the ORGANIZER's SCHEDULE-AGENT is SERVER, and not for a cancelled event.</summary>
    static bool Schedules(SchedulingObject o)
    {
        if (o.IsCancelled)
            return false;
        var organizer = o.Components.Values.Select(c => ((UniqueComponent)c).Organizer).FirstOrDefault(x => x is not null);
        return organizer is null || ScheduleParameters.AgentOf(organizer.Parameters) == ScheduleAgent.Server;
    }

    static string? PartStatIn(SchedulingObject o, string me, string key)
    {
        if (!o.Members.TryGetValue(me, out var mine))
            return null;
        if (mine.TryGetValue(key, out var attendee))
            return PartStat(attendee);
        // An instance without its own override answers as the series does.
        return !o.Components.ContainsKey(key) && key != InstanceKeys.Master && !o.Exdates.Contains(key) && mine.TryGetValue(InstanceKeys.Master, out var series)
            ? PartStat(series) : null;
    }

    static string PartStat(Attendee a) => string.IsNullOrWhiteSpace(a.ParticipationStatus) ? NeedsAction : a.ParticipationStatus.Trim().ToUpperInvariant();
}
