using System.Text;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Scheduling;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>Writes into a user's store directly, as the scheduler's delivery does (the DAV engine only reads the inbox).</summary>
internal static class DavSchedulingStore
{
    /// <summary>An iTIP REQUEST in <paramref name="user"/>'s inbox (made first if needed); returns the stored body.</summary>
    public static async Task<string> DeliverAsync(DavSchedulingFixture server, string user, string name)
    {
        var provider = server.Services.GetRequiredService<StoreCalendarProvider>();
        await provider.CreateCalendarAsync(user, ScheduleCollections.Inbox, new CalendarPropertyChanges(), ["VEVENT", "VTODO"], DateTimeOffset.UtcNow, default);
        var uid = Guid.NewGuid().ToString("N");
        var body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nMETHOD:REQUEST\r\n" +
                   $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20250310T100000Z\r\nDTEND:20250310T110000Z\r\n" +
                   $"SUMMARY:invitation\r\nORGANIZER:mailto:dora@example.com\r\nATTENDEE:mailto:{user}@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        var store = server.Services.GetRequiredService<ICalendarStore>();
        var result = await store.PutObjectAsync(user, ScheduleCollections.Inbox, name,
            new ObjectWrite { Uid = uid, Component = "VEVENT", Body = Encoding.UTF8.GetBytes(body) }, WriteConditions.None, default);
        Assert.Equal(WriteStatus.Created, result.Status);
        return body;
    }
}
