using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using Caldera.Samples;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using Caldera.Functions.Tests.Dav;

namespace Caldera.Functions.Tests.Providers;

/// <summary>
/// The sample provider end to end: the registry (manage/providers) decides whose home shows it, and its read-only
/// calendar refuses writes with DAV:need-privileges while reads, queries and multiget work as on any calendar.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class WeekNumbersProviderHttpTests(CalderaServerFixture fixture)
{
    const string Segment = "app-generated--weeknumbers--weeks";
    static readonly string AliceCalendar = CalendarPath(CalderaServerFixture.Alice, Segment);

    static DateTime ThisMonday
    {
        get
        {
            var today = DateTime.UtcNow.Date;
            return today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        }
    }

    static string NameOf(DateTime monday) => $"{ISOWeek.GetYear(monday)}-W{ISOWeek.GetWeekOfYear(monday):00}.ics";

    async Task RegisterAsync(string principal, bool enabled)
    {
        using var manage = fixture.CreateManagementClient();
        using var r = await manage.PutAsJsonAsync($"manage/providers/{principal}/{WeekNumbersProvider.Id}", new { enabled });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    async Task UnregisterAsync(string principal)
    {
        using var manage = fixture.CreateManagementClient();
        using var _ = await manage.DeleteAsync($"manage/providers/{principal}/{WeekNumbersProvider.Id}");
    }

    async Task<IReadOnlyCollection<string>> HomeAsync(string user)
    {
        using var client = fixture.CreateClient(user);
        var home = await PropfindAsync(client, $"/calendars/{user}/", "1", D + "displayname");
        Assert.Equal(HttpStatusCode.MultiStatus, home.Status);
        return home.Responses().Keys;
    }

    [Fact]
    public async Task Registered_for_alice_only_then_disabled_then_removed()
    {
        try
        {
            await RegisterAsync(CalderaServerFixture.Alice, enabled: true);
            Assert.Contains(AliceCalendar, await HomeAsync(CalderaServerFixture.Alice));
            Assert.DoesNotContain(await HomeAsync(CalderaServerFixture.Bob), h => h.Contains(Segment, StringComparison.Ordinal));
            using (var bob = fixture.CreateClient(CalderaServerFixture.Bob))
                Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(bob, CalendarPath(CalderaServerFixture.Bob, Segment), "0", D + "displayname")).Status);

            using (var manage = fixture.CreateManagementClient())
            {
                var row = await manage.GetFromJsonAsync<Dictionary<string, object>>($"manage/providers/alice/{WeekNumbersProvider.Id}");
                Assert.Equal("alice", row!["principal"].ToString());
                var list = await manage.GetStringAsync("manage/providers/alice");
                Assert.Contains(WeekNumbersProvider.Id, list, StringComparison.Ordinal);
                Assert.Equal(HttpStatusCode.BadRequest, (await manage.GetAsync("manage/providers/alice/bad%20id")).StatusCode);
            }
            using (var anonymous = fixture.CreateAnonymousClient())
                Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("manage/providers/alice")).StatusCode);

            await RegisterAsync(CalderaServerFixture.Alice, enabled: false);
            Assert.DoesNotContain(AliceCalendar, await HomeAsync(CalderaServerFixture.Alice));
            using (var alice = fixture.CreateClient(CalderaServerFixture.Alice))
                Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(alice, AliceCalendar + NameOf(ThisMonday))).Status);

            await RegisterAsync(CalderaServerFixture.Alice, enabled: true);
            Assert.Contains(AliceCalendar, await HomeAsync(CalderaServerFixture.Alice));
            using (var manage = fixture.CreateManagementClient())
            {
                Assert.Equal(HttpStatusCode.NoContent, (await manage.DeleteAsync($"manage/providers/alice/{WeekNumbersProvider.Id}")).StatusCode);
                Assert.Equal(HttpStatusCode.NotFound, (await manage.DeleteAsync($"manage/providers/alice/{WeekNumbersProvider.Id}")).StatusCode);
            }
            Assert.DoesNotContain(AliceCalendar, await HomeAsync(CalderaServerFixture.Alice));
        }
        finally
        {
            await UnregisterAsync(CalderaServerFixture.Alice);
        }
    }

    [Fact]
    public async Task Read_only_calendar_refuses_writes_with_need_privileges()
    {
        try
        {
            await RegisterAsync(CalderaServerFixture.Alice, enabled: true);
            using var client = fixture.CreateClient(CalderaServerFixture.Alice);
            var existing = AliceCalendar + NameOf(ThisMonday);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, existing)).Status);

            var put = await SendAsync(client, Put(AliceCalendar + "new.ics", Event("new-uid")));
            AssertNeedPrivileges(put, AliceCalendar, "write-content");
            var overwrite = await SendAsync(client, Put(existing, Event("other-uid")));
            AssertNeedPrivileges(overwrite, AliceCalendar, "write-content");
            var delete = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, existing));
            AssertNeedPrivileges(delete, AliceCalendar, "unbind");
            var deleteCalendar = await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, AliceCalendar));
            Assert.Equal(HttpStatusCode.Forbidden, deleteCalendar.Status);
            Assert.Contains(D + "need-privileges", deleteCalendar.ErrorConditions());

            var patch = await SendAsync(client, Xml(Proppatch, AliceCalendar,
                new XElement(D + "propertyupdate", new XElement(D + "set", new XElement(D + "prop", new XElement(D + "displayname", "Mine")))).ToString()));
            Assert.Equal(HttpStatusCode.MultiStatus, patch.Status);
            var response = patch.Responses()[AliceCalendar];
            Assert.Equal(403, response.StatusOf(D + "displayname"));
            Assert.NotNull(response.Descendants(D + "need-privileges").SingleOrDefault());

            var mkcalendar = await SendAsync(client, Xml(Mkcalendar, CalendarPath(CalderaServerFixture.Alice, "app-generated--weeknumbers--other"), null));
            Assert.Equal(HttpStatusCode.Forbidden, mkcalendar.Status);

            var privileges = await PropfindAsync(client, AliceCalendar, "1", D + "current-user-privilege-set");
            foreach (var (href, r) in privileges.Responses())
            {
                var set = r.Prop(D + "current-user-privilege-set").Elements(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
                Assert.Contains(D + "read", set);
                Assert.DoesNotContain(D + "write-content", set);
                Assert.DoesNotContain(D + "write", set);
                Assert.DoesNotContain(D + "bind", set);
            }
            Assert.Equal(WeekNumbersProvider.WeeksBefore + WeekNumbersProvider.WeeksAfter + 2, privileges.Responses().Count);

            var acl = await PropfindAsync(client, AliceCalendar, "0", D + "acl", D + "supported-privilege-set", D + "owner");
            var calendarAcl = acl.Responses()[AliceCalendar];
            var ace = calendarAcl.Prop(D + "acl").Element(D + "ace")!;
            Assert.Equal("/principals/alice/", ace.Element(D + "principal")!.Element(D + "href")!.Value);
            var granted = ace.Element(D + "grant")!.Elements(D + "privilege").SelectMany(p => p.Elements()).Select(e => e.Name).ToList();
            Assert.Contains(D + "read", granted);
            Assert.DoesNotContain(D + "write-content", granted);
            Assert.NotNull(ace.Element(D + "protected"));
            Assert.Contains(calendarAcl.Prop(D + "supported-privilege-set").Descendants(D + "privilege").SelectMany(p => p.Elements()), e => e.Name == D + "write-content");
            Assert.Equal("/principals/alice/", calendarAcl.Prop(D + "owner").Element(D + "href")!.Value);

            // No sync token: sync-collection is not offered there (403 DAV:supported-report), as for any calendar without one.
            var sync = await SendAsync(client, Xml(Report, AliceCalendar,
                $"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token/><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>", "0"));
            Assert.Equal(HttpStatusCode.Forbidden, sync.Status);
            Assert.Contains(D + "supported-report", sync.ErrorConditions());
        }
        finally
        {
            await UnregisterAsync(CalderaServerFixture.Alice);
        }
    }

    static void AssertNeedPrivileges(DavResponse response, string href, string privilege)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        var resource = response.Condition(D + "need-privileges").Element(D + "resource")!;
        Assert.Equal(href, resource.Element(D + "href")!.Value);
        Assert.NotNull(resource.Element(D + "privilege")!.Element(D + privilege));
    }

    [Fact]
    public async Task Calendar_query_and_multiget_work_on_the_provider_calendar()
    {
        try
        {
            await RegisterAsync(CalderaServerFixture.Alice, enabled: true);
            using var client = fixture.CreateClient(CalderaServerFixture.Alice);
            var monday = ThisMonday;
            var query = new XElement(C + "calendar-query", new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), new XAttribute(XNamespace.Xmlns + "C", C.NamespaceName),
                new XElement(D + "prop", new XElement(D + "getetag"), new XElement(C + "calendar-data")),
                new XElement(C + "filter", new XElement(C + "comp-filter", new XAttribute("name", "VCALENDAR"),
                    new XElement(C + "comp-filter", new XAttribute("name", "VEVENT"),
                        new XElement(C + "time-range",
                            new XAttribute("start", monday.AddDays(7).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)),
                            new XAttribute("end", monday.AddDays(21).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)))))));
            var result = await SendAsync(client, Xml(Report, AliceCalendar, query.ToString(), "1"));
            Assert.Equal(HttpStatusCode.MultiStatus, result.Status);
            var hrefs = result.Responses().Keys.OrderBy(h => h, StringComparer.Ordinal).ToList();
            Assert.Equal([AliceCalendar + NameOf(monday.AddDays(7)), AliceCalendar + NameOf(monday.AddDays(14))], hrefs);
            var data = result.Responses()[hrefs[0]].Prop(C + "calendar-data").Value;
            Assert.Contains($"SUMMARY:Week {ISOWeek.GetWeekOfYear(monday.AddDays(7))}", data, StringComparison.Ordinal);
            var etag = result.Responses()[hrefs[0]].Prop(D + "getetag").Value;

            var multiget = new XElement(C + "calendar-multiget", new XAttribute(XNamespace.Xmlns + "D", D.NamespaceName), new XAttribute(XNamespace.Xmlns + "C", C.NamespaceName),
                new XElement(D + "prop", new XElement(D + "getetag"), new XElement(C + "calendar-data")),
                new XElement(D + "href", hrefs[0]), new XElement(D + "href", AliceCalendar + NameOf(monday)), new XElement(D + "href", AliceCalendar + "missing.ics"));
            var got = await SendAsync(client, Xml(Report, AliceCalendar, multiget.ToString(), "1"));
            Assert.Equal(HttpStatusCode.MultiStatus, got.Status);
            var responses = got.Responses();
            Assert.Equal(etag, responses[hrefs[0]].Prop(D + "getetag").Value); // stable between requests
            Assert.Contains("DTSTART;VALUE=DATE:" + monday.ToString("yyyyMMdd", CultureInfo.InvariantCulture), responses[AliceCalendar + NameOf(monday)].Prop(C + "calendar-data").Value, StringComparison.Ordinal);
            Assert.Equal(404, responses[AliceCalendar + "missing.ics"].ResponseStatus());
        }
        finally
        {
            await UnregisterAsync(CalderaServerFixture.Alice);
        }
    }
}
