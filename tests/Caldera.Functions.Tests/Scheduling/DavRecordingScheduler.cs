using System.Collections.Concurrent;
using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Scheduling;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// An <see cref="IImplicitScheduler"/> with fixed, visible rules, so the DAV engine's side of the contract is tested on
/// its own (the real scheduler is tested by its owners): an object whose SUMMARY starts with "sched" is a scheduling
/// object and gets Schedule-Tag "sched-N"; "sched-refuse" is refused with CALDAV:allowed-organizer-scheduling-object-change;
/// "sched-rewrite" has its SUMMARY rewritten by the server (ContentChanged). Every call is recorded per object name.
/// </summary>
public sealed class DavRecordingScheduler : IImplicitScheduler
{
    int _tags;

    /// <summary>(method, object name, existing ETag or null, existing Schedule-Tag or null), in call order.</summary>
    public ConcurrentQueue<(string Call, string Name, string? ExistingETag, string? ExistingTag)> Calls { get; } = new();

    public IReadOnlyList<(string Call, string Name, string? ExistingETag, string? ExistingTag)> CallsFor(string name) =>
        Calls.Where(c => c.Name == name).ToList();

    public Task<ScheduledWrite> PrepareWriteAsync(SchedulingTarget target, ICalendarObject? existing, ParsedCalendarObject incoming, CancellationToken ct)
    {
        Calls.Enqueue(("write", target.ObjectName, existing?.ETag, existing?.ScheduleTag));
        var summary = Summary(incoming);
        if (!summary.StartsWith("sched", StringComparison.Ordinal))
            return Task.FromResult(ScheduledWrite.None);
        if (summary == "sched-refuse")
            throw new SchedulingRefusedException("allowed-organizer-scheduling-object-change", "the test scheduler refuses this change");
        var tag = $"\"sched-{Interlocked.Increment(ref _tags)}\"";
        var stored = incoming;
        var changed = false;
        if (summary == "sched-rewrite")
        {
            var text = Encoding.UTF8.GetString(incoming.Body).Replace("SUMMARY:sched-rewrite", "SUMMARY:sched-rewritten", StringComparison.Ordinal);
            stored = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(text), target.Calendar.SupportedComponents);
            changed = true;
        }
        return Task.FromResult(new ScheduledWrite
        {
            Object = stored with { ScheduleTag = tag },
            ContentChanged = changed,
            ScheduleTag = tag,
            Pending = target.ObjectName,
        });
    }

    public Task<ScheduledWrite> PrepareDeleteAsync(SchedulingTarget target, ICalendarObject existing, CancellationToken ct)
    {
        Calls.Enqueue(("delete", target.ObjectName, existing.ETag, existing.ScheduleTag));
        return Task.FromResult(new ScheduledWrite { Pending = target.ObjectName });
    }

    public Task CompleteAsync(ScheduledWrite write, CancellationToken ct)
    {
        Calls.Enqueue(("complete", (string)write.Pending!, null, write.ScheduleTag));
        return Task.CompletedTask;
    }

    static string Summary(ParsedCalendarObject o) =>
        o.Calendar.Events.FirstOrDefault()?.Summary ?? o.Calendar.Todos.FirstOrDefault()?.Summary ?? "";
}
