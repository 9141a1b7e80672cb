using System.Net;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Queries.QueryRequests;

namespace Caldera.Functions.Tests.Queries;

/// <summary>
/// Floating and DATE values placed in the request's CALDAV:timezone or RFC 7809 CALDAV:timezone-id, else in the
/// calendar's calendar-timezone (RFC 4791 §7.3, §7.10, §9.9; issue 12, item 6), for calendar-query and free-busy-query.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class RequestTimeZoneTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    const string Ns = """xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" """;

    /// <summary>A zone of the request's own making: always UTC+05:00.</summary>
    const string Plus5 =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Test/Plus5\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\n" +
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    const string MinusTen =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Test/Minus10\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:-1000\r\nTZOFFSETTO:-1000\r\nEND:STANDARD\r\n" +
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    static string Floating(string uid) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240305T100000\r\nDTEND:20240305T110000\r\nSUMMARY:Floating\r\nEND:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    static string Query(string start, string end, string zone = "") => QueryRequests.EventsIn(start, end, extra: zone);

    static string TimeZone(string vcalendar) => $"<C:timezone><![CDATA[{vcalendar}]]></C:timezone>";

    static string TimeZoneId(string id) => $"<C:timezone-id>{id}</C:timezone-id>";

    [Fact]
    public async Task Calendar_query_places_floating_times_in_the_request_time_zone()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("reqtz"));
        await PutNewAsync(client, path + "f.ics", Floating(Unique("uid")));
        string[] hit = [path + "f.ics"];

        // No zone anywhere: UTC, 10:00–11:00Z.
        Assert.Equal(hit, await MatchesAsync(client, path, Query("20240305T100000Z", "20240305T103000Z")));
        // CALDAV:timezone at +05:00: 05:00–06:00Z.
        Assert.Equal(hit, await MatchesAsync(client, path, Query("20240305T050000Z", "20240305T053000Z", TimeZone(Plus5))));
        Assert.Empty(await MatchesAsync(client, path, Query("20240305T100000Z", "20240305T103000Z", TimeZone(Plus5))));
        // RFC 7809 timezone-id: Tokyo (+09:00) puts it at 01:00–02:00Z.
        Assert.Equal(hit, await MatchesAsync(client, path, Query("20240305T010000Z", "20240305T013000Z", TimeZoneId("Asia/Tokyo"))));
        Assert.Empty(await MatchesAsync(client, path, Query("20240305T050000Z", "20240305T053000Z", TimeZoneId("Asia/Tokyo"))));
    }

    [Fact]
    public async Task The_index_keeps_floating_objects_for_zones_far_from_utc_on_a_cold_query()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("coldtz"));
        await PutNewAsync(client, path + "f.ics", Floating(Unique("uid")));
        string[] hit = [path + "f.ics"];
        var snapshots = server.Services.GetRequiredService<SnapshotCache>();

        // Kiritimati (+14:00): 20:00–21:00Z the day before; Pago Pago (−11:00): 21:00–22:00Z.
        snapshots.Clear();
        Assert.Equal(hit, await MatchesAsync(client, path, Query("20240304T200000Z", "20240304T203000Z", TimeZoneId("Pacific/Kiritimati"))));
        snapshots.Clear();
        Assert.Equal(hit, await MatchesAsync(client, path, Query("20240305T213000Z", "20240305T220000Z", TimeZoneId("Pacific/Pago_Pago"))));
    }

    [Fact]
    public async Task Free_busy_places_floating_times_in_the_request_zone_or_the_calendar_timezone()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("fbtz"));
        await PutNewAsync(client, path + "f.ics", Floating(Unique("uid")));
        const string start = "20240304T000000Z", end = "20240306T000000Z";

        Assert.Equal(["FREEBUSY:20240305T100000Z/20240305T110000Z"], await BusyAsync(client, path, FreeBusy(start, end)));
        Assert.Equal(["FREEBUSY:20240305T050000Z/20240305T060000Z"],
            await BusyAsync(client, path, FreeBusy(start, end, TimeZone(Plus5))));

        // The calendar's calendar-timezone is the default (RFC 4791 §5.2.2).
        var patch = await SendAsync(client, Xml(Proppatch, path, $"""
            <D:propertyupdate {Ns}><D:set><D:prop><C:calendar-timezone><![CDATA[{MinusTen}]]></C:calendar-timezone></D:prop></D:set></D:propertyupdate>
            """));
        Assert.True(patch.Status == HttpStatusCode.MultiStatus, patch.ToString());
        Assert.Equal(["FREEBUSY:20240305T200000Z/20240305T210000Z"], await BusyAsync(client, path, FreeBusy(start, end)));
        Assert.Equal([path + "f.ics"], await MatchesAsync(client, path, Query("20240305T200000Z", "20240305T203000Z")));
        // ... and the request's zone still wins over it.
        Assert.Equal(["FREEBUSY:20240305T050000Z/20240305T060000Z"],
            await BusyAsync(client, path, FreeBusy(start, end, TimeZone(Plus5))));
        Assert.Equal([path + "f.ics"], await MatchesAsync(client, path, Query("20240305T050000Z", "20240305T053000Z", TimeZone(Plus5))));
    }

    [Theory]
    [InlineData("<C:timezone>not a calendar</C:timezone>", "valid-calendar-data")]
    [InlineData("<C:timezone><![CDATA[BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20240101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n]]></C:timezone>", "valid-calendar-data")]
    [InlineData("<C:timezone><![CDATA[BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:Test/Far\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+2000\r\nTZOFFSETTO:+2000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n]]></C:timezone>", "valid-calendar-data")]
    [InlineData("<C:timezone-id>Nowhere/Atlantis</C:timezone-id>", "valid-timezone")]
    public async Task A_bad_request_time_zone_is_refused(string zone, string condition)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("badtz"));
        foreach (var body in new[] { Query("20240305T050000Z", "20240305T053000Z", zone), FreeBusy("20240304T000000Z", "20240306T000000Z", zone) })
        {
            var response = await SendAsync(client, Xml(Report, path, body, "1"));
            Assert.True(response.Status == HttpStatusCode.Forbidden, response.ToString());
            Assert.Contains(DavHelpers.C + condition, response.ErrorConditions());
        }
    }
}
