using System.Text;
using Caldera.Calendars.Scheduling;
using Caldera.Imip.Itip;
using Caldera.Storage;

namespace Caldera.Scheduling.Delivery;

/// <summary>
/// The recipient's scheduling inbox (RFC 6638 §2.2): a store calendar named <see cref="ScheduleCollections.Inbox"/>,
/// made on first delivery, holding one object per iTIP message as it was sent (METHOD included). The parser of
/// PUT bodies refuses METHOD, so the object is written to the store directly. Several messages share a UID (a
/// REQUEST, then its CANCEL), and the store keeps UIDs unique per calendar, so each object is indexed under its own
/// name; the body keeps the event's UID.
/// </summary>
public sealed class ScheduleInbox(ICalendarStore store, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Components = ["VEVENT", "VTODO"];

    /// <returns>The object's name in the inbox, or null when the store refused it (e.g. over quota).</returns>
    public async Task<string?> PutAsync(string user, ItipMessage message, CancellationToken ct)
    {
        await EnsureAsync(user, ct);
        var name = Guid.NewGuid().ToString("N") + ".ics";
        var result = await store.PutObjectAsync(user, ScheduleCollections.Inbox, name, new ObjectWrite
        {
            Uid = name,
            Component = message.Kind,
            Body = Encoding.UTF8.GetBytes(message.Text.ReplaceLineEndings("\r\n")),
        }, new WriteConditions { IfNoneMatch = ["*"] }, ct);
        return result.Status == WriteStatus.Created ? name : null;
    }

    async Task EnsureAsync(string user, CancellationToken ct)
    {
        if (await store.GetCalendarAsync(user, ScheduleCollections.Inbox, ct) is not null)
            return;
        var now = time.GetUtcNow();
        // False when a concurrent delivery made it first: that is as good.
        await store.CreateCalendarAsync(new CalendarRecord
        {
            Owner = user,
            Name = ScheduleCollections.Inbox,
            Id = Guid.NewGuid().ToString("N"),
            DisplayName = "Inbox",
            Components = Components,
            Created = now,
            Modified = now,
        }, ct);
    }
}
