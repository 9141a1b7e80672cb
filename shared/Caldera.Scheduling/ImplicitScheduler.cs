using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Scheduling;
using Caldera.Imip.Itip;
using Caldera.Imip.Processing;
using Caldera.Scheduling.Delivery;
using Caldera.Scheduling.Planning;
using Caldera.Storage;
using Ical.Net;
using ICalendarObject = Caldera.Calendars.Providers.ICalendarObject;
using Ical.Net.CalendarComponents;

namespace Caldera.Scheduling;

/// <summary>
/// Implicit scheduling (RFC 6638 §3) around the DAV engine's writes: reads what the pure planner needs (the owner's
/// addresses, the stored copy, who each recipient is), turns its plan into the object to store and the Schedule-Tag,
/// and hands the messages to <see cref="SchedulingDispatcher"/> once the write is stored.
/// A write by a sharee schedules as the calendar's owner: RFC 6638 §3 makes the owner of the calendar collection the
/// calendar user, so the owner's addresses decide the role and messages go out in the owner's name.
/// </summary>
public sealed class ImplicitScheduler(ISchedulingPlanner planner, IUserStore users, ICalendarStore store, SchedulingDispatcher dispatcher)
    : IImplicitScheduler
{
    public async Task<ScheduledWrite> PrepareWriteAsync(SchedulingTarget target, ICalendarObject? existing, ParsedCalendarObject incoming, CancellationToken ct)
    {
        if (ScheduleCollections.IsReserved(target.CalendarSegment))
            return ScheduledWrite.None;
        // A write that is not and was not a scheduling object costs nothing more: no user read, no body read.
        if (existing?.ScheduleTag is null && !HasOrganizer(incoming.Calendar))
            return ScheduledWrite.None;

        var owner = await OwnerAddressesAsync(target.Owner, ct);
        var before = existing is null ? null : await ReadAsync(existing, ct);
        var directory = await RecipientDirectory.ResolveAsync(users, [before, incoming.Calendar], owner, ct);
        var plan = planner.PlanWrite(before, incoming.Calendar, owner, directory.StatusOf);
        if (plan.Refusal is { } refusal)
            throw new SchedulingRefusedException(refusal.Precondition, refusal.Reason);
        if (plan.Role == SchedulingRole.None && existing?.ScheduleTag is null)
            return ScheduledWrite.None;
        if (existing is null && plan.Role != SchedulingRole.None)
            await EnsureUniqueAsync(target, incoming.Uid, ct);

        var stored = plan.StoredText is null
            ? incoming
            // Parsed again so the index (envelope, recurrence flag) describes what is stored, not what was sent.
            : CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(plan.StoredText), target.Calendar.SupportedComponents);
        var tag = plan.Role == SchedulingRole.None ? null
            : plan.ScheduleTagChanges || existing?.ScheduleTag is null ? ItipDelivery.NewScheduleTag()
            : existing.ScheduleTag;
        return new ScheduledWrite
        {
            Object = stored with { ScheduleTag = tag },
            ContentChanged = plan.StoredText is not null,
            ScheduleTag = tag,
            Pending = Pending(target.Owner, plan, directory),
        };
    }

    public async Task<ScheduledWrite> PrepareDeleteAsync(SchedulingTarget target, ICalendarObject existing, CancellationToken ct)
    {
        // Only scheduling object resources carry a Schedule-Tag: any other delete costs nothing more.
        if (existing.ScheduleTag is null || ScheduleCollections.IsReserved(target.CalendarSegment))
            return ScheduledWrite.None;
        var before = await ReadAsync(existing, ct);
        if (before is null)
            return ScheduledWrite.None;
        var owner = await OwnerAddressesAsync(target.Owner, ct);
        var directory = await RecipientDirectory.ResolveAsync(users, [before], owner, ct);
        var plan = planner.PlanDelete(before, owner);
        if (plan.Refusal is { } refusal)
            throw new SchedulingRefusedException(refusal.Precondition, refusal.Reason);
        return new ScheduledWrite { Pending = Pending(target.Owner, plan, directory) };
    }

    public Task CompleteAsync(ScheduledWrite write, CancellationToken ct) =>
        write.Pending is PendingMessages pending ? dispatcher.SendAsync(pending) : Task.CompletedTask;

    /// <summary>The owner's calendar user addresses: the email of the user record (the address index maps each address to its one user).</summary>
    async Task<IReadOnlySet<string>> OwnerAddressesAsync(string owner, CancellationToken ct)
    {
        var user = await users.GetUserAsync(owner, ct);
        // The same normal form as every address the planner compares (and the address index keys).
        return CalendarAddress.Normalize(user?.Email) is { } email
            ? new HashSet<string>([email], StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// RFC 6638 §3.2.4.1: a scheduling object's UID may be in one calendar of the home only, or attendees would get two
    /// copies' messages. Checked on creates only (the target calendar's own UID rule is the store's no-uid-conflict).
    /// </summary>
    async Task EnsureUniqueAsync(SchedulingTarget target, string uid, CancellationToken ct)
    {
        foreach (var calendar in await store.ListCalendarsAsync(target.Owner, ct))
        {
            if (ScheduleCollections.IsReserved(calendar.Name) || IsTarget(target, calendar))
                continue;
            if (await store.FindNameByUidAsync(calendar, uid, ct) is not null)
                throw new SchedulingRefusedException("unique-scheduling-object-resource",
                    $"UID {uid} is already a scheduling object resource in calendar {calendar.Name} of this home");
        }
    }

    /// <summary>Whether a stored calendar is the one written: by name for the owner, by incarnation for a sharee's view of it.</summary>
    static bool IsTarget(SchedulingTarget target, CalendarRecord calendar) => target.Calendar switch
    {
        StoreCalendar own => own.Record.Id == calendar.Id,
        _ => target.User == target.Owner ? target.CalendarSegment == calendar.Name
            : StoreSyncToken.TryParse(target.Calendar.CTag, calendar.Id, out _),
    };

    static async Task<Calendar?> ReadAsync(ICalendarObject existing, CancellationToken ct)
    {
        var body = await existing.GetDataAsync(ct);
        if (body is null)
            return null;
        try
        {
            return Calendar.Load(CalendarText.Read(body));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null; // a stored body that no longer parses: treated as a create, never a crash of the write
        }
    }

    static bool HasOrganizer(Calendar calendar) =>
        calendar.Children.OfType<UniqueComponent>().Any(c => c.Organizer is not null);

    static PendingMessages? Pending(string owner, SchedulingPlan plan, RecipientDirectory directory)
    {
        if (plan.Messages.Count == 0)
            return null;
        var internalUsers = new Dictionary<string, string>(StringComparer.Ordinal);
        var external = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recipient in plan.Messages.Select(m => m.Recipient).Distinct(StringComparer.Ordinal))
        {
            if (directory.UserOf(recipient) is { } user)
                internalUsers[recipient] = user;
            else if (directory.IsKnown(recipient))
                external.Add(recipient);
        }
        return new PendingMessages(owner, plan.Messages, internalUsers, external);
    }
}
