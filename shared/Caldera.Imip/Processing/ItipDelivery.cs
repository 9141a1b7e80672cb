using System.Text;
using Caldera.Calendars;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Imip.Itip;
using Caldera.Storage;
using Caldera.Storage.Imip;
using Ical.Net;

namespace Caldera.Imip.Processing;

/// <summary>
/// Puts a checked iTIP message into the recipient's calendar home: to a calendar whose provider handles iMIP
/// itself (chosen through the provider registry), else to the store calendar that already holds the UID, else to
/// the schedule default calendar (<see cref="ScheduleDefaultCalendar"/>); never into the scheduling inbox. Writes
/// are conditional on the copy that was read, so concurrent deliveries cannot interleave; a lost race is read
/// again. The one engine for both paths: inbound email (ImipProcessor) and internal delivery (CalDAV scheduling).
/// </summary>
public sealed class ItipDelivery(CalendarHome homes, ICalendarStore store, ImipOptions options)
{
    public async Task<ImipOutcome> DeliverAsync(string user, string recipient, ItipMessage message, string? attendee, string calendarText, CancellationToken ct)
    {
        var context = new CalendarContext(user, user);
        // Only the store and providers that may take iMIP are opened: feeds and shares are never listed for a message.
        var calendars = await homes.ListAsync(context, p => p.AppId == StoreCalendarProvider.Id || p.MayHandleImip, ct);

        // A provider's calendar that takes iMIP itself gets it as it came (the sender checks are done).
        if (calendars.FirstOrDefault(c => c.Calendar is IHandleImipMessage) is { Calendar: IHandleImipMessage handler } target)
        {
            var name = ObjectNames.ForUid(message.Uid);
            await handler.HandleImipMessageAsync(name, calendarText, ct);
            return Outcome(message, ImipStatus.Applied, null, $"handed to calendar {target.Segment} ({target.AppId})", target.Segment, name);
        }

        var own = calendars.Where(c => c.Calendar is StoreCalendar && c.Calendar.Owner == user && !ScheduleCollections.IsReserved(c.Segment))
            .Select(c => (c.Segment, Calendar: (StoreCalendar)c.Calendar)).ToList();
        for (var attempt = 1; ; attempt++)
        {
            var (segment, calendar, name, current) = await LocateAsync(own, message, ct);
            Calendar? stored = null;
            if (current is not null)
            {
                var body = await current.GetDataAsync(ct);
                if (body is null && attempt < options.WriteAttempts)
                    continue; // deleted between the index read and the body read
                stored = body is null ? null : Calendar.Load(CalendarText.Read(body));
            }

            var decision = ItipApplier.Apply(message, stored, recipient, attendee);
            if (decision.NewText is null)
                return Outcome(message, decision.Status, decision.Code, decision.Reason, segment, current?.Name);
            if (calendar is null)
            {
                // The home leaves out a provider that failed: a store that failed is an outage, not a recipient without
                // calendars, so the message is thrown back to the queue. Only this rare path pays the extra read.
                if (own.Count == 0 && (await store.ListCalendarsAsync(user, ct)).Count > 0)
                    throw new IOException($"the calendars of {user} could not be listed; the message is retried");
                return Outcome(message, ImipStatus.Ignored, "no-calendar", $"the recipient has no calendar that takes {message.Kind}", null, null);
            }

            ParsedCalendarObject parsed;
            try
            {
                parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(decision.NewText), calendar.SupportedComponents);
            }
            catch (CalendarDataException e)
            {
                return Outcome(message, ImipStatus.Quarantined, "invalid-icalendar", "the resulting calendar object is not valid: " + e.Message, segment, name);
            }
            // RFC 6638 §3.2.10: an attendee's answer merged into the organizer's copy keeps its Schedule-Tag (the
            // organizer's client need not reload it); an organizer's change to an attendee's copy gives a new one.
            parsed = parsed with { ScheduleTag = message.Method == "REPLY" ? current?.ScheduleTag : NewScheduleTag() };
            var conditions = current is null ? new WriteConditions { IfNoneMatch = ["*"] } : new WriteConditions { IfMatch = [current.ETag] };
            var result = await calendar.PutObjectAsync(name, parsed, conditions, ct);
            if (result.Status is WriteStatus.Created or WriteStatus.Updated)
                return Outcome(message, ImipStatus.Applied, null, decision.Reason, segment, name);
            // Retrying cannot help until the user frees room: recorded as failed with the reason, the mail kept with it.
            if (result.Status == WriteStatus.QuotaExceeded)
                return Outcome(message, ImipStatus.Failed, "quota-exceeded",
                    $"applying {message.Method} would pass the recipient's storage quota; nothing was changed", segment, name);
            if (attempt >= options.WriteAttempts)
                throw new IOException($"the calendar kept changing while {message.Method} for {message.Uid} was applied ({result.Status})");
            // Someone wrote the same UID or name meanwhile: read again and decide again.
        }
    }

    /// <summary>The calendar and object that hold the UID, or the default calendar and a fresh name.</summary>
    async Task<(string? Segment, StoreCalendar? Calendar, string Name, Calendars.Providers.ICalendarObject? Current)> LocateAsync(
        List<(string Segment, StoreCalendar Calendar)> own, ItipMessage message, CancellationToken ct)
    {
        foreach (var (segment, calendar) in own)
            if (await store.FindNameByUidAsync(calendar.Record, message.Uid, ct) is { } holder &&
                await calendar.GetObjectAsync(holder, ct) is { } current)
                return (segment, calendar, holder, current);

        if (ScheduleDefaultCalendar.Choose(own, message.Kind) is not { } target)
            return (null, null, ObjectNames.ForUid(message.Uid), null);
        // A tame UID names the object; if that name is taken by another UID, the hash of the UID does.
        var name = ObjectNames.ForUid(message.Uid);
        if (await target.Calendar.GetObjectAsync(name, ct) is not null)
            name = ObjectNames.ForUid(message.Uid, hashed: true);
        return (target.Segment, target.Calendar, name, null);
    }

    /// <summary>A new opaque Schedule-Tag (RFC 6638 §3.2.10), quoted like an ETag.</summary>
    public static string NewScheduleTag() => "\"" + Guid.NewGuid().ToString("N") + "\"";

    static ImipOutcome Outcome(ItipMessage m, string status, string? code, string reason, string? calendar, string? name) =>
        new(status, code, reason) { Method = m.Method, Uid = m.Uid, Calendar = calendar, ObjectName = name };
}
