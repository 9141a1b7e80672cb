using Caldera.Calendars.Providers;

namespace Caldera.Calendars.Scheduling;

/// <summary>
/// Implicit scheduling (RFC 6638 §3) around the DAV engine's writes of calendar objects. The engine calls
/// <see cref="PrepareWriteAsync"/> / <see cref="PrepareDeleteAsync"/> before it stores, stores what they return,
/// and calls <see cref="CompleteAsync"/> once the store said yes. Registered only where scheduling is on; the
/// engine writes as before when no scheduler is registered.
/// </summary>
public interface IImplicitScheduler
{
    /// <summary>
    /// Before a PUT (or the target side of a COPY/MOVE) is stored. Returns what to store instead (SCHEDULE-STATUS set,
    /// SCHEDULE-FORCE-SEND removed, the Schedule-Tag) and the messages to send once it is stored.
    /// </summary>
    /// <param name="existing">The object the write replaces (same name), or null for a create.</param>
    /// <exception cref="SchedulingRefusedException">A precondition of RFC 6638 §3.2.4 fails.</exception>
    Task<ScheduledWrite> PrepareWriteAsync(SchedulingTarget target, ICalendarObject? existing, ParsedCalendarObject incoming, CancellationToken ct);

    /// <summary>Before a DELETE (or the source side of a MOVE out of the owner's home) of <paramref name="existing"/>.</summary>
    Task<ScheduledWrite> PrepareDeleteAsync(SchedulingTarget target, ICalendarObject existing, CancellationToken ct);

    /// <summary>
    /// After the store accepted the write or delete: delivers to Caldera users and queues email for everyone else.
    /// A delivery failure never throws here (the write is done); it is retried through the outbound queue.
    /// </summary>
    Task CompleteAsync(ScheduledWrite write, CancellationToken ct);
}

/// <summary>Where a scheduling write happens: who asks, whose calendar, which object.</summary>
/// <param name="User">The authenticated user.</param>
/// <param name="Owner">The calendar's owner, whose calendar user addresses decide the role (organizer or attendee).</param>
public sealed record SchedulingTarget(string User, string Owner, string CalendarSegment, string ObjectName, ICalendar Calendar);

/// <summary>What <see cref="IImplicitScheduler"/> decided for one write.</summary>
public sealed record ScheduledWrite
{
    /// <summary>Nothing to schedule: store the object as sent, send nothing.</summary>
    public static readonly ScheduledWrite None = new();

    /// <summary>The object to store (for a write); null for a delete or when <see cref="None"/>.</summary>
    public ParsedCalendarObject? Object { get; init; }
    /// <summary>True when the server changed the body the client sent: the PUT response then carries no ETag (RFC 4791 §5.3.4).</summary>
    public bool ContentChanged { get; init; }
    /// <summary>The Schedule-Tag of the stored object (RFC 6638 §3.2.10), or null when it is not a scheduling object resource.</summary>
    public string? ScheduleTag { get; init; }
    /// <summary>The scheduler's own state for <see cref="IImplicitScheduler.CompleteAsync"/> (the messages to send).</summary>
    public object? Pending { get; init; }
}

/// <summary>A scheduling precondition failed (RFC 6638 §3.2.4): answered with <see cref="Status"/> and the CALDAV: element named <see cref="Precondition"/>.</summary>
public sealed class SchedulingRefusedException(string precondition, string message, int status = 403) : Exception(message)
{
    /// <summary>Local name of the CALDAV: precondition element, e.g. <c>unique-scheduling-object-resource</c>.</summary>
    public string Precondition { get; } = precondition;
    public int Status { get; } = status;
}
