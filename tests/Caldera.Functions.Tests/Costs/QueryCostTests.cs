using System.Globalization;
using System.Net;
using System.Text;
using Caldera.Calendars;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Costs;

/// <summary>
/// The index does the work: storage calls of a request grow with its answer, not with the calendar.
/// Counts are read from the server's own <see cref="StorageCallCounter"/> around each request; the tests of
/// this collection run one at a time, so nothing else talks to that server meanwhile.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class QueryCostTests(CalderaServerFixture fixture, ITestOutputHelper output)
{
    const string User = CalderaServerFixture.Alice;
    static readonly DateTime WeekStart = new(2027, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    StorageCallCounter Counter => fixture.Services.GetRequiredService<StorageCallCounter>();

    async Task<(DavResponse Response, long Tables, long Blobs)> MeasureAsync(HttpClient client, Func<Task<DavResponse>> request)
    {
        long tables = Counter.TotalOf(StorageService.Table), blobs = Counter.TotalOf(StorageService.Blob);
        var response = await request();
        return (response, Counter.TotalOf(StorageService.Table) - tables, Counter.TotalOf(StorageService.Blob) - blobs);
    }

    static string Stamp(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    Task SeedAsync(string calendar, IEnumerable<(string Name, string Body)> objects) =>
        StoreSeeder.SeedAsync(fixture.Services.GetRequiredService<ICalendarStore>(), User, calendar, objects);

    static string QueryBody(string component, DateTime? start = null, DateTime? end = null)
    {
        var range = start is null ? "" : $"<C:time-range start=\"{Stamp(start.Value)}\" end=\"{Stamp(end!.Value)}\"/>";
        return "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/><C:calendar-data/></D:prop>" +
               $"<C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"{component}\">{range}</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>";
    }

    [Fact]
    public async Task One_week_query_on_2000_events_reads_only_the_candidate_blobs()
    {
        using var client = fixture.CreateClient(User);
        var name = Unique("cost");
        var path = await MakeCalendarAsync(client, User, name);

        var objects = new List<(string, string)>();
        // 1,995 objects outside the week: single events through 2026 and weekly series that end before it.
        for (int i = 0; i < 1895; i++)
        {
            var start = new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddHours(4.5 * i);
            objects.Add(($"out-{i}.ics", Event($"out-{i}", "outside", Stamp(start), Stamp(start.AddHours(1)))));
        }
        for (int i = 0; i < 100; i++)
        {
            var start = new DateTime(2026, 2, 1, 9, 0, 0, DateTimeKind.Utc).AddDays(i);
            objects.Add(($"series-{i}.ics", Event($"series-{i}", "series", Stamp(start), Stamp(start.AddHours(1)), "RRULE:FREQ=WEEKLY;COUNT=10\r\n")));
        }
        // 5 that match: four in the week, one weekly series that starts the week before and matches by its 2nd instance.
        for (int i = 0; i < 4; i++)
        {
            var start = WeekStart.AddDays(i + 1).AddHours(10);
            objects.Add(($"in-{i}.ics", Event($"in-{i}", "inside", Stamp(start), Stamp(start.AddHours(1)))));
        }
        var seriesStart = WeekStart.AddDays(-5).AddHours(12);
        objects.Add(("in-series.ics", Event("in-series", "inside", Stamp(seriesStart), Stamp(seriesStart.AddHours(1)), "RRULE:FREQ=WEEKLY;COUNT=3\r\n")));
        Assert.Equal(2000, objects.Count);
        await SeedAsync(name, objects);

        await PropfindAsync(client, path, "0", D + "getetag"); // warm the credential and registry caches
        var (response, tables, blobs) = await MeasureAsync(client, () =>
            SendAsync(client, Xml(Report, path, QueryBody("VEVENT", WeekStart, WeekStart.AddDays(7)), "1")));
        output.WriteLine($"one-week query on 2,000 events: {tables} table calls, {blobs} blob calls");

        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
        var hrefs = response.Responses().Keys.Select(h => h[(h.LastIndexOf('/') + 1)..]).Order().ToArray();
        Assert.Equal(["in-0.ics", "in-1.ics", "in-2.ics", "in-3.ics", "in-series.ics"], hrefs);
        Assert.InRange(blobs, 0, 5);
        // The calendar row plus the index pages of a 2,000-row calendar (the table service filters them).
        Assert.InRange(tables, 1, 5);
    }

    [Fact]
    public async Task Todo_filter_on_a_calendar_of_events_reads_no_blob()
    {
        using var client = fixture.CreateClient(User);
        var name = Unique("cost-todo");
        var path = await MakeCalendarAsync(client, User, name);
        await SeedAsync(name, Enumerable.Range(0, 50).Select(i => ($"e{i}.ics", Event($"e{i}"))));

        await PropfindAsync(client, path, "0", D + "getetag");
        var (response, tables, blobs) = await MeasureAsync(client, () => SendAsync(client, Xml(Report, path, QueryBody("VTODO"), "1")));
        output.WriteLine($"VTODO filter on 50 events: {tables} table calls, {blobs} blob calls");

        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
        Assert.Empty(response.Responses());
        Assert.Equal(0, blobs);
        Assert.InRange(tables, 1, 3);
    }

    [Fact]
    public async Task Propfind_depth1_reads_the_index_only_and_multiget_reads_only_what_it_names()
    {
        using var client = fixture.CreateClient(User);
        var name = Unique("cost-list");
        var path = await MakeCalendarAsync(client, User, name);
        await SeedAsync(name, Enumerable.Range(0, 300).Select(i => ($"e{i}.ics", Event($"e{i}"))));

        await PropfindAsync(client, path, "0", D + "getetag");
        var (listing, listTables, listBlobs) = await MeasureAsync(client, () => PropfindAsync(client, path, "1", D + "getetag", D + "getcontenttype"));
        output.WriteLine($"PROPFIND Depth 1 on 300 objects: {listTables} table calls, {listBlobs} blob calls");
        Assert.Equal(301, listing.Responses().Count);
        Assert.Equal(0, listBlobs);
        Assert.InRange(listTables, 1, 3);

        var multiget = "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/><C:calendar-data/></D:prop>" +
                       string.Concat(Enumerable.Range(0, 3).Select(i => $"<D:href>{path}e{i * 7}.ics</D:href>")) + "</C:calendar-multiget>";
        var (got, getTables, getBlobs) = await MeasureAsync(client, () => SendAsync(client, Xml(Report, path, multiget, "1")));
        output.WriteLine($"multiget of 3: {getTables} table calls, {getBlobs} blob calls");
        Assert.Equal(3, got.Responses().Count);
        Assert.Equal(0, getBlobs); // the listing left a snapshot with the (inline) bodies
        Assert.Equal(1, getTables); // the calendar row, to check the snapshot is current

        var (single, objTables, objBlobs) = await MeasureAsync(client, () => GetAsync(client, path + "e1.ics"));
        output.WriteLine($"GET: {objTables} table calls, {objBlobs} blob calls");
        Assert.Equal(HttpStatusCode.OK, single.Status);
        Assert.Equal(0, objBlobs);
        Assert.Equal(1, objTables); // calendar row; the index row and body come from the snapshot
    }
}
