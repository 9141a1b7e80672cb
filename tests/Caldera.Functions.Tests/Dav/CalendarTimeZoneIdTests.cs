using System.Net;
using System.Xml.Linq;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Queries.QueryRequests;

namespace Caldera.Functions.Tests.Dav;

/// <summary>
/// RFC 7809 §5.2 CALDAV:calendar-timezone-id over HTTP: read off calendar-timezone, set by PROPPATCH, MKCALENDAR and
/// extended MKCOL, refused with CALDAV:valid-timezone when unknown, always naming the zone calendar-timezone defines.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class CalendarTimeZoneIdTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;
    static readonly XName Id = C + "calendar-timezone-id";
    static readonly XName Definition = C + "calendar-timezone";

    /// <summary>Europe/Berlin as clients send it: its current rules, which agree with the database's zone.</summary>
    const string Berlin =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
        "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    /// <summary>A zone of the client's own: no IANA zone is always UTC+05:00 under this name.</summary>
    const string Plus5 =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\nBEGIN:VTIMEZONE\r\nTZID:Test/Plus5\r\n" +
        "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\n" +
        "END:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    static string Update(params XElement[] instructions) =>
        new XElement(D + "propertyupdate",
            new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), new XAttribute(XNamespace.Xmlns + "C", C.NamespaceName), instructions).ToString();

    static XElement Set(params XElement[] props) => new(D + "set", new XElement(D + "prop", props));
    static XElement Remove(params XName[] props) => new(D + "remove", new XElement(D + "prop", props.Select(p => new XElement(p))));

    static async Task<XElement> ReadAsync(HttpClient client, string path)
    {
        var response = await PropfindAsync(client, path, "0", D + "displayname", Definition, Id);
        Assert.Equal((HttpStatusCode)207, response.Status);
        return response.Responses()[path];
    }

    [Fact]
    public async Task A_calendar_without_a_time_zone_has_no_id_and_allprop_leaves_it_out()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("tzid-none"));
        Assert.Equal(404, (await ReadAsync(client, path)).StatusOf(Id));

        await PatchAsync(client, path, Update(Set(new XElement(Id, "Asia/Tokyo"))));
        // RFC 7809 §5.2: SHOULD NOT be returned by allprop.
        var all = await SendAsync(client, Xml(Propfind, path, "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>", "0"));
        Assert.Null(all.Responses()[path].Descendants(Id).FirstOrDefault());
    }

    [Fact]
    public async Task The_id_is_read_off_a_calendar_timezone_that_is_an_iana_zone_and_only_then()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("tzid-read"));
        await PatchAsync(client, path, Update(Set(new XElement(Definition, Berlin))));
        Assert.Equal("Europe/Berlin", (await ReadAsync(client, path)).Prop(Id).Value);

        // Setting calendar-timezone to a zone of the client's own: no id names it.
        await PatchAsync(client, path, Update(Set(new XElement(Definition, Plus5))));
        var read = await ReadAsync(client, path);
        Assert.Contains("TZID:Test/Plus5", read.Prop(Definition).Value);
        Assert.Equal(404, read.StatusOf(Id));
    }

    [Fact]
    public async Task Setting_the_id_sets_calendar_timezone_and_removing_it_removes_both()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("tzid-set"));
        var result = await PatchAsync(client, path, Update(Set(new XElement(Id, "America/New_York"))));
        Assert.Equal(200, result.StatusOf(Id));

        var read = await ReadAsync(client, path);
        Assert.Equal("America/New_York", read.Prop(Id).Value);
        var definition = read.Prop(Definition).Value;
        Assert.Contains("BEGIN:VTIMEZONE", definition);
        Assert.Contains("TZID:America/New_York", definition);

        // Setting calendar-timezone changes what the id reads.
        await PatchAsync(client, path, Update(Set(new XElement(Definition, Berlin))));
        Assert.Equal("Europe/Berlin", (await ReadAsync(client, path)).Prop(Id).Value);

        // Removing the id removes the calendar's time zone; removing calendar-timezone removes the id.
        Assert.Equal(200, (await PatchAsync(client, path, Update(Remove(Id)))).StatusOf(Id));
        read = await ReadAsync(client, path);
        Assert.Equal(404, read.StatusOf(Id));
        Assert.Equal(404, read.StatusOf(Definition));
        await PatchAsync(client, path, Update(Set(new XElement(Id, "Asia/Tokyo"))));
        await PatchAsync(client, path, Update(Remove(Definition)));
        Assert.Equal(404, (await ReadAsync(client, path)).StatusOf(Id));
    }

    [Fact]
    public async Task An_unknown_id_fails_with_valid_timezone_and_nothing_changes()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("tzid-bad"));
        await PatchAsync(client, path, Update(Set(new XElement(Id, "Europe/Berlin"))));

        foreach (var bad in new[] { "Mars/Olympus_Mons", "W. Europe Standard Time", "" })
        {
            var response = await SendAsync(client, Xml(Proppatch, path, Update(Set(new XElement(D + "displayname", "Changed?"), new XElement(Id, bad)))));
            Assert.True((int)response.Status == 207, response.ToString());
            var result = response.Responses()[path];
            Assert.Equal(403, result.StatusOf(Id));
            Assert.Equal(424, result.StatusOf(D + "displayname"));
            var propstat = result.Elements(D + "propstat").Single(ps => ps.Element(D + "prop")?.Element(Id) is not null);
            Assert.NotNull(propstat.Element(D + "error")?.Element(C + "valid-timezone"));
        }
        var read = await ReadAsync(client, path);
        Assert.Equal("Europe/Berlin", read.Prop(Id).Value);
        Assert.NotEqual("Changed?", read.Prop(D + "displayname").Value);
    }

    [Fact]
    public async Task Both_in_one_request_must_name_the_same_zone()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("tzid-both"));

        var conflict = await PatchAsync(client, path, Update(Set(new XElement(Definition, Berlin), new XElement(Id, "Asia/Tokyo"))));
        Assert.Equal(409, conflict.StatusOf(Id));
        Assert.Equal(424, conflict.StatusOf(Definition));
        Assert.Equal(404, (await ReadAsync(client, path)).StatusOf(Definition));

        var agree = await PatchAsync(client, path, Update(Set(new XElement(Definition, Berlin), new XElement(Id, "Europe/Berlin"))));
        Assert.Equal(200, agree.StatusOf(Id));
        Assert.Equal(200, agree.StatusOf(Definition));
        var read = await ReadAsync(client, path);
        Assert.Equal("Europe/Berlin", read.Prop(Id).Value);
        Assert.Equal(Berlin, read.Prop(Definition).Value.ReplaceLineEndings("\r\n"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mkcalendar_and_extended_mkcol_set_the_id(bool mkcol)
    {
        using var client = server.CreateClient(Alice);
        var path = CalendarPath(Alice, Unique("tzid-mk"));
        var prop = new XElement(D + "prop", new XElement(Id, "Australia/Sydney"));
        if (mkcol)
            prop.Add(new XElement(D + "resourcetype", new XElement(D + "collection"), new XElement(C + "calendar")));
        var body = new XElement(mkcol ? D + "mkcol" : C + "mkcalendar",
            new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), new XAttribute(XNamespace.Xmlns + "C", C.NamespaceName),
            new XElement(D + "set", prop));
        var created = await SendAsync(client, Xml(mkcol ? Mkcol : Mkcalendar, path, body.ToString()));
        Assert.True(created.Status == HttpStatusCode.Created, created.ToString());
        var read = await ReadAsync(client, path);
        Assert.Equal("Australia/Sydney", read.Prop(Id).Value);
        Assert.Contains("TZID:Australia/Sydney", read.Prop(Definition).Value);
    }

    [Fact]
    public async Task Mkcalendar_with_an_unknown_id_is_refused_and_makes_nothing()
    {
        using var client = server.CreateClient(Alice);
        var path = CalendarPath(Alice, Unique("tzid-mkbad"));
        var body = $"""<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><C:calendar-timezone-id>Nowhere/Atlantis</C:calendar-timezone-id></D:prop></D:set></C:mkcalendar>""";
        var refused = await SendAsync(client, Xml(Mkcalendar, path, body));
        Assert.True(refused.Status == HttpStatusCode.Forbidden, refused.ToString());
        Assert.Contains("valid-timezone", refused.ToString());
        var after = await SendAsync(client, Xml(Propfind, path, PropfindBody(D + "displayname"), "0"));
        Assert.Equal(HttpStatusCode.NotFound, after.Status);
    }

    [Fact]
    public async Task A_floating_event_is_queried_in_the_zone_the_id_set()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("tzid-q"));
        await PutNewAsync(client, path + "f.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Caldera tests//EN\r\n" +
            $"BEGIN:VEVENT\r\nUID:{Unique("uid")}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240305T100000\r\nDTEND:20240305T110000\r\nSUMMARY:Floating\r\nEND:VEVENT\r\n" +
            "END:VCALENDAR\r\n");
        string[] hit = [path + "f.ics"];
        // No zone: UTC.
        Assert.Equal(hit, await MatchesAsync(client, path, EventsIn("20240305T100000Z", "20240305T103000Z")));

        // Tokyo (+09:00): 10:00 local is 01:00Z.
        await PatchAsync(client, path, Update(Set(new XElement(Id, "Asia/Tokyo"))));
        Assert.Equal(hit, await MatchesAsync(client, path, EventsIn("20240305T010000Z", "20240305T013000Z")));
        Assert.Empty(await MatchesAsync(client, path, EventsIn("20240305T100000Z", "20240305T103000Z")));

        // New York in March before daylight time (−05:00): 15:00Z.
        await PatchAsync(client, path, Update(Set(new XElement(Id, "America/New_York"))));
        Assert.Equal(hit, await MatchesAsync(client, path, EventsIn("20240305T150000Z", "20240305T153000Z")));
        Assert.Empty(await MatchesAsync(client, path, EventsIn("20240305T010000Z", "20240305T013000Z")));
    }
}
