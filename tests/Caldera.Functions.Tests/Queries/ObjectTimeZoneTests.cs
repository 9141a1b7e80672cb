using System.Net;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Queries.QueryRequests;

namespace Caldera.Functions.Tests.Queries;

/// <summary>
/// An object's own VTIMEZONE defines its TZID even when the TZID is an IANA name (RFC 5545 §3.6.5; issue 12,
/// item 7): here "Europe/Berlin" is a fixed UTC+05:00, and every answer follows it, from the index on a cold
/// query to free-busy and expanded calendar-data.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class ObjectTimeZoneTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    const string NotBerlin =
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\n" +
        "END:VTIMEZONE\r\n";

    /// <summary>10:00–11:00 "Europe/Berlin" on 5 March 2024: 05:00–06:00Z by the object's zone (09:00–10:00Z by IANA's).</summary>
    static string Meeting(string uid, string extra = "") =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" + NotBerlin +
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\n" +
        $"DTSTART;TZID=Europe/Berlin:20240305T100000\r\nDTEND;TZID=Europe/Berlin:20240305T110000\r\nSUMMARY:Not Berlin\r\n{extra}END:VEVENT\r\n" +
        "END:VCALENDAR\r\n";

    static string Query(string start, string end, string data = "") => EventsIn(start, end, "<D:getetag/>" + data);

    /// <summary>As on a fresh host: the calendar is read from its index rows again.</summary>
    void Cold() => server.Services.GetRequiredService<SnapshotCache>().Clear();

    [Fact]
    public async Task Time_range_queries_follow_the_objects_vtimezone_from_the_index_on()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("ownzone"));
        await PutNewAsync(client, path + "one.ics", Meeting(Unique("uid")));
        // A weekly series: the 12 March instance is 05:00–06:00Z too (no daylight saving in the object's zone).
        await PutNewAsync(client, path + "weekly.ics", Meeting(Unique("uid"), "RRULE:FREQ=WEEKLY;COUNT=10\r\n").Replace("20240305", "20240226"));

        Cold();
        Assert.Equal([path + "one.ics"], await MatchesAsync(client, path, Query("20240305T050000Z", "20240305T053000Z")));
        Cold();
        Assert.Empty(await MatchesAsync(client, path, Query("20240305T090000Z", "20240305T100000Z")));
        Assert.Equal([path + "weekly.ics"], await MatchesAsync(client, path, Query("20240311T050000Z", "20240311T053000Z")));
        Assert.Equal([path + "weekly.ics"], await MatchesAsync(client, path, Query("20240401T053000Z", "20240401T060000Z")));
        Assert.Empty(await MatchesAsync(client, path, Query("20240401T080000Z", "20240401T090000Z")));
    }

    [Fact]
    public async Task Free_busy_and_expanded_calendar_data_follow_the_objects_vtimezone()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("ownzonefb"));
        await PutNewAsync(client, path + "weekly.ics", Meeting(Unique("uid"), "RRULE:FREQ=WEEKLY;COUNT=2\r\n"));

        Assert.Equal(["FREEBUSY:20240305T050000Z/20240305T060000Z", "FREEBUSY:20240312T050000Z/20240312T060000Z"],
            await BusyAsync(client, path, FreeBusy("20240301T000000Z", "20240401T000000Z")));

        var expanded = await SendAsync(client, Xml(Report, path, Query("20240301T000000Z", "20240401T000000Z",
            """<C:calendar-data><C:expand start="20240301T000000Z" end="20240401T000000Z"/></C:calendar-data>"""), "1"));
        Assert.True(expanded.Status == HttpStatusCode.MultiStatus, expanded.ToString());
        var data = expanded.Responses()[path + "weekly.ics"].Prop(DavHelpers.C + "calendar-data").Value;
        Assert.Contains("DTSTART:20240305T050000Z", data);
        Assert.Contains("DTSTART:20240312T050000Z", data);
        Assert.Contains("RECURRENCE-ID:20240312T050000Z", data);
    }
}
