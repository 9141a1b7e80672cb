using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage;
using Caldera.Storage.Snapshots;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Costs;

/// <summary>
/// Reads at the limit (issue 11), counted over real HTTP against Azurite: a warm calendar costs the one point read of
/// its row, a write elsewhere one more (its change rows), and a cold calendar a few table pages, never a blob per object.
/// Counts are the server's own (<see cref="StorageCallCounter"/>, background snapshot loads counted apart); the tests
/// of this collection run one at a time.
/// </summary>
[Collection(CalderaServerCollection.Name)]
public sealed class SnapshotCostTests(CalderaServerFixture fixture, ITestOutputHelper output)
{
    const string User = CalderaServerFixture.Alice;
    static readonly DateTime WeekStart = new(2027, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    StorageCallCounter Counter => fixture.Services.GetRequiredService<StorageCallCounter>();
    TableCalendarStore Store => fixture.Services.GetRequiredService<TableCalendarStore>();
    SnapshotCache Cache => fixture.Services.GetRequiredService<SnapshotCache>();

    /// <summary>
    /// Counts one request. <paramref name="warmUp"/> runs first (a Depth 0 PROPFIND: it reads no object), so the
    /// credential and registry caches, which expire after seconds, are fresh and only the request's own reads count.
    /// </summary>
    async Task<(DavResponse Response, long Tables, long Blobs)> MeasureAsync(string label, Func<Task<DavResponse>> request, Func<Task> warmUp)
    {
        await warmUp();
        await BackgroundLoadsDoneAsync();
        long tables = Counter.TotalOf(StorageService.Table), blobs = Counter.TotalOf(StorageService.Blob);
        var response = await request();
        var result = (response, Counter.TotalOf(StorageService.Table) - tables, Counter.TotalOf(StorageService.Blob) - blobs);
        output.WriteLine($"{label}: {result.Item2} table, {result.Item3} blob");
        return result;
    }

    async Task BackgroundLoadsDoneAsync()
    {
        for (var i = 0; i < 1000 && Store.PendingLoads > 0; i++)
            await Task.Delay(10);
        Assert.Equal(0, Store.PendingLoads);
    }

    static string Stamp(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    Task SeedAsync(string calendar, IEnumerable<(string Name, string Body)> objects) =>
        StoreSeeder.SeedAsync(fixture.Services.GetRequiredService<ICalendarStore>(), User, calendar, objects);

    static string Query(string props, DateTime start, DateTime end) =>
        $"<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop>{props}</D:prop>" +
        $"<C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"><C:time-range start=\"{Stamp(start)}\" end=\"{Stamp(end)}\"/>" +
        "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>";

    static string Multiget(string path, IEnumerable<string> names) =>
        "<C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/><C:calendar-data/></D:prop>" +
        string.Concat(names.Select(n => $"<D:href>{path}{n}</D:href>")) + "</C:calendar-multiget>";

    static string SyncBody(string token) =>
        $"<D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{token}</D:sync-token><D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>";

    /// <summary>200 events over ten weeks around <see cref="WeekStart"/>, a tenth of them weekly series.</summary>
    static IEnumerable<(string, string)> Events(int count, string prefix = "e")
    {
        for (var i = 0; i < count; i++)
        {
            var start = WeekStart.AddDays(-35).AddHours(8 + i * 7.3 % 1680);
            var extra = i % 10 == 5 ? "RRULE:FREQ=WEEKLY;COUNT=4\r\n" : "";
            yield return ($"{prefix}{i}.ics", Event($"{prefix}{i}", "ev", Stamp(start), Stamp(start.AddHours(1)), extra));
        }
    }

    /// <summary>A calendar of <paramref name="count"/> seeded events whose snapshot this instance holds, and its warm-up request.</summary>
    async Task<(string Name, string Path, Func<Task> WarmUp)> WarmCalendarAsync(HttpClient client, string prefix, int count)
    {
        var name = Unique(prefix);
        var path = await MakeCalendarAsync(client, User, name);
        await SeedAsync(name, Events(count));
        await PropfindAsync(client, path, "1", D + "getetag"); // loads the snapshot
        return (name, path, () => PropfindAsync(client, path, "0", D + "getetag"));
    }

    [Fact]
    public async Task A_warm_calendar_costs_one_point_read_and_a_write_elsewhere_one_replay()
    {
        using var client = fixture.CreateClient(User);
        var (name, path, WarmUp) = await WarmCalendarAsync(client, "warm", 200);

        var names = Enumerable.Range(0, 50).Select(i => $"e{i * 3}.ics").ToList();
        var syncToken = (await PropfindAsync(client, path, "0", D + "sync-token")).Responses()[path].Prop(D + "sync-token").Value;
        var requests = new (string Label, Func<Task<DavResponse>> Send, int Expect)[]
        {
            ("PROPFIND Depth 1", () => PropfindAsync(client, path, "1", D + "getetag"), 201),
            ("multiget of 50", () => SendAsync(client, Xml(Report, path, Multiget(path, names), "1")), 50),
            ("one-week query, getetag", () => SendAsync(client, Xml(Report, path, Query("<D:getetag/>", WeekStart, WeekStart.AddDays(7)), "1")), -1),
            ("one-month query, calendar-data", () => SendAsync(client, Xml(Report, path, Query("<D:getetag/><C:calendar-data/>", WeekStart, WeekStart.AddDays(31)), "1")), -1),
            ("GET", () => GetAsync(client, path + "e7.ics"), 0),
            ("sync-collection, empty delta", () => SendAsync(client, Xml(Report, path, SyncBody(syncToken), "1")), 0),
        };
        foreach (var (label, send, expect) in requests)
        {
            var (response, tables, blobs) = await MeasureAsync("warm " + label, send, WarmUp);
            Assert.True(response.Status is HttpStatusCode.OK or HttpStatusCode.MultiStatus, $"{label}: {response}");
            if (expect >= 0 && response.Status == HttpStatusCode.MultiStatus)
                Assert.Equal(expect, response.Responses().Count);
            Assert.Equal((1L, 0L), (tables, blobs)); // the calendar row, nothing else
        }

        // Another instance writes (a second store on the same storage: no write-through into this cache).
        await using var other = OtherInstance();
        var otherStore = other.GetRequiredService<ICalendarStore>();
        var changed = Event("e9", "changed", Stamp(WeekStart.AddDays(2)), Stamp(WeekStart.AddDays(2).AddHours(1)));
        var put = await otherStore.PutObjectAsync(User, name, "e9.ics", StoreSeeder.WriteOf(changed, ["VEVENT"]), WriteConditions.None, default);
        Assert.Equal(WriteStatus.Updated, put.Status);

        var (multiget, mTables, mBlobs) = await MeasureAsync("multiget after a write elsewhere",
            () => SendAsync(client, Xml(Report, path, Multiget(path, ["e9.ics", "e10.ics"]), "1")), WarmUp);
        Assert.Equal((2L, 0L), (mTables, mBlobs)); // the calendar row and the change rows since the snapshot
        Assert.Equal(put.ETag, multiget.Responses()[path + "e9.ics"].Prop(D + "getetag").Value);
        Assert.Contains("SUMMARY:changed", multiget.Responses()[path + "e9.ics"].Prop(C + "calendar-data").Value);
        var (_, again, _) = await MeasureAsync("multiget after the replay", () => SendAsync(client, Xml(Report, path, Multiget(path, ["e9.ics"]), "1")), WarmUp);
        Assert.Equal(1L, again);
    }

    [Fact]
    public async Task A_cold_multiget_of_50_reads_four_keyed_queries_and_no_blob()
    {
        using var client = fixture.CreateClient(User);
        var name = Unique("cold-mg");
        var path = await MakeCalendarAsync(client, User, name);
        Task WarmUp() => PropfindAsync(client, path, "0", D + "getetag");
        await SeedAsync(name, Events(300));
        await BackgroundLoadsDoneAsync();
        Cache.Clear();
        await PropfindAsync(client, path, "0", D + "getetag"); // credentials and registry are warm; the calendar is not

        var names = Enumerable.Range(0, 50).Select(i => $"e{i * 5}.ics").ToList();
        var (response, tables, blobs) = await MeasureAsync("cold multiget of 50", () => SendAsync(client, Xml(Report, path, Multiget(path, names), "1")), WarmUp);
        Assert.Equal(50, response.Responses().Count);
        Assert.All(response.Responses().Values, r => Assert.Contains("BEGIN:VCALENDAR", r.Prop(C + "calendar-data").Value));
        Assert.InRange(tables, 1, 5); // the calendar row + ⌈50 / 14⌉ keyed queries
        Assert.Equal(0, blobs);
    }

    [Fact]
    public async Task A_cold_one_week_query_on_10000_events_reads_its_buckets_and_no_blob()
    {
        using var client = fixture.CreateClient(User);
        var name = Unique("cold-10k");
        var path = await MakeCalendarAsync(client, User, name);
        Task WarmUp() => PropfindAsync(client, path, "0", D + "getetag");
        var objects = new List<(string, string)>();
        // 9,800 events over two years outside the week, then 200 in it (every tenth a weekly series that started before).
        for (var i = 0; i < 9800; i++)
        {
            var day = i % 730;
            if (day is >= 425 and <= 432)
                day += 10; // keep the week (and the day before it) empty
            var start = WeekStart.AddDays(day - 426).AddHours(7 + i % 11);
            objects.Add(($"o{i}.ics", Event($"o{i}", "out", Stamp(start), Stamp(start.AddMinutes(45)))));
        }
        for (var i = 0; i < 200; i++)
        {
            var series = i % 10 == 0;
            var start = series ? WeekStart.AddDays(-14).AddHours(9 + i % 8) : WeekStart.AddHours(8 + i % 150);
            objects.Add(($"in{i}.ics", Event($"in{i}", "in", Stamp(start), Stamp(start.AddMinutes(30)), series ? "RRULE:FREQ=WEEKLY;COUNT=5\r\n" : "")));
        }
        await SeedAsync(name, objects);
        await BackgroundLoadsDoneAsync();
        Cache.Clear();
        await PropfindAsync(client, path, "0", D + "getetag"); // credentials and registry are warm; the calendar is not

        var (response, tables, blobs) = await MeasureAsync("cold one-week query on 10,000 events",
            () => SendAsync(client, Xml(Report, path, Query("<D:getetag/>", WeekStart, WeekStart.AddDays(7)), "1")), WarmUp);
        Assert.Equal(HttpStatusCode.MultiStatus, response.Status);
        Assert.Equal(200, response.Responses().Count);
        Assert.All(response.Responses().Keys, h => Assert.StartsWith(path + "in", h));
        // The calendar row, then one page per bucket level (7-day, 91-day) and one of the open set: never the whole index.
        Assert.Equal(4, tables);
        Assert.Equal(0, blobs);
    }

    [Fact]
    public async Task Dead_properties_cost_a_proppatch_three_calls_and_a_warm_depth_1_propfind_nothing_more()
    {
        using var client = fixture.CreateClient(User);
        var (_, path, WarmUp) = await WarmCalendarAsync(client, "dead", 200);
        const string AllProp = "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>";
        static string Patch(string value) =>
            $"<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><E:note xmlns:E=\"urn:example:client\">{value}</E:note></D:prop></D:set></D:propertyupdate>";

        var (before, bTables, bBlobs) = await MeasureAsync("warm PROPFIND Depth 1 allprop, no dead properties", () => SendAsync(client, Xml(Propfind, path, AllProp, "1")), WarmUp);
        Assert.Equal(201, before.Responses().Count);
        Assert.Equal((1L, 0L), (bTables, bBlobs));

        var (calendarPatch, cTables, cBlobs) = await MeasureAsync("PROPPATCH calendar", () => SendAsync(client, Xml(Proppatch, path, Patch("c"))), WarmUp);
        Assert.Equal(HttpStatusCode.MultiStatus, calendarPatch.Status);
        Assert.Equal((3L, 0L), (cTables, cBlobs)); // resolving the calendar row, then reading it again and replacing it
        for (var i = 0; i < 20; i++)
        {
            var (objectPatch, oTables, oBlobs) = await MeasureAsync("PROPPATCH object", () => SendAsync(client, Xml(Proppatch, path + $"e{i}.ics", Patch("o" + i))), WarmUp);
            Assert.Equal(HttpStatusCode.MultiStatus, objectPatch.Status);
            Assert.Equal((4L, 0L), (oTables, oBlobs)); // the calendar row to resolve; then the calendar row, the index row and one transaction
        }

        var (after, aTables, aBlobs) = await MeasureAsync("warm PROPFIND Depth 1 allprop, 21 dead properties", () => SendAsync(client, Xml(Propfind, path, AllProp, "1")), WarmUp);
        Assert.Equal((1L, 0L), (aTables, aBlobs)); // the calendar row: dead properties come with the records
        Assert.Equal("o7", after.Responses()[path + "e7.ics"].Prop(XNamespace.Get("urn:example:client") + "note").Value);
        Assert.Equal("c", after.Responses()[path].Prop(XNamespace.Get("urn:example:client") + "note").Value);
    }

    /// <summary>A second instance's storage services on the server's storage (same connection and prefix).</summary>
    ServiceProvider OtherInstance()
    {
        var configuration = fixture.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        return new ServiceCollection().AddCalderaStorage(configuration).BuildServiceProvider();
    }
}
