using System.Globalization;
using System.Text;
using Caldera.Calendars;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Caldera.Web.Tests.Api;

/// <summary>
/// GET events costs what its answer costs: the time-range index picks the candidates, so a calendar ten times as full
/// (outside the range) costs the same storage calls. Counted by the server's own <see cref="StorageCallCounter"/>; the
/// collection's tests run one at a time, so nothing else talks to the server meanwhile.
/// </summary>
[Collection(WebServerCollection.Name)]
public sealed class EventCostTests(WebServerFixture fixture, ITestOutputHelper output)
{
    static readonly DateTime Week = new(2027, 6, 7, 0, 0, 0, DateTimeKind.Utc);

    StorageCallCounter Counter => fixture.Services.GetRequiredService<StorageCallCounter>();

    static string Stamp(DateTime t) => t.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    static string Event(string uid, DateTime start, string extra = "") =>
        $"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n" +
        $"DTSTART:{Stamp(start)}\r\nDTEND:{Stamp(start.AddHours(1))}\r\n{extra}SUMMARY:{uid}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    /// <summary>Writes objects straight into the store through the parser PUT uses (the same rows, without HTTP).</summary>
    async Task SeedAsync(string user, IEnumerable<(string Name, string Body)> objects)
    {
        var store = fixture.Services.GetRequiredService<ICalendarStore>();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(objects.Select(async o =>
        {
            await gate.WaitAsync();
            try
            {
                var parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(o.Body), ["VEVENT", "VTODO"]);
                var result = await store.PutObjectAsync(user, "default", o.Name, new ObjectWrite
                {
                    Uid = parsed.Uid, Component = parsed.Component, Body = parsed.Body, RangeStart = parsed.RangeStart,
                    RangeEnd = parsed.RangeEnd, Recurring = parsed.Recurring, EnvelopeExact = parsed.EnvelopeExact,
                }, WriteConditions.None, default);
                Assert.Equal(WriteStatus.Created, result.Status);
            }
            finally { gate.Release(); }
        }));
    }

    /// <summary>A warm-up request, then waits for the calendar's snapshot to finish loading in the background.</summary>
    async Task WarmAsync(ApiClient client)
    {
        await MeasureAsync(client);
        var store = fixture.Services.GetRequiredService<TableCalendarStore>();
        for (var i = 0; i < 500 && store.PendingLoads > 0; i++)
            await Task.Delay(20);
        Assert.Equal(0, store.PendingLoads);
    }

    /// <summary>The cheapest of three requests: a snapshot refresh or a registry reload now and then is not the query's cost.</summary>
    async Task<(int Events, long Tables, long Blobs)> SteadyAsync(ApiClient client)
    {
        var runs = new List<(int Events, long Tables, long Blobs)>();
        for (var i = 0; i < 3; i++)
            runs.Add(await MeasureAsync(client));
        Assert.All(runs, r => Assert.Equal(runs[0].Events, r.Events));
        return (runs[0].Events, runs.Min(r => r.Tables), runs.Min(r => r.Blobs));
    }

    async Task<(int Events, long Tables, long Blobs)> MeasureAsync(ApiClient client)
    {
        long tables = Counter.TotalOf(StorageService.Table), blobs = Counter.TotalOf(StorageService.Blob);
        var answer = await client.GetJsonAsync($"events?start={Week:yyyy-MM-dd'T'HH:mm:ss'Z'}&end={Week.AddDays(7):yyyy-MM-dd'T'HH:mm:ss'Z'}");
        return (answer["events"]!.AsArray().Count, Counter.TotalOf(StorageService.Table) - tables, Counter.TotalOf(StorageService.Blob) - blobs);
    }

    [Fact]
    public async Task A_week_of_events_costs_the_same_in_a_calendar_ten_times_as_full()
    {
        var (user, password, _) = await ApiUsers.CreateAsync(fixture, "cost");
        using var client = await ApiClient.SignInAsync(fixture, user, password);
        var inside = Enumerable.Range(0, 3).Select(i => ($"in-{i}.ics", Event($"in-{i}", Week.AddDays(i + 1).AddHours(9)))).ToList();
        inside.Add(("series.ics", Event("series", Week.AddDays(-14).AddHours(12), "RRULE:FREQ=WEEKLY;COUNT=5\r\n")));
        await SeedAsync(user, inside);
        await SeedAsync(user, Enumerable.Range(0, 50).Select(i => ($"out-a{i}.ics", Event($"out-a{i}", new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddHours(5 * i)))));

        await WarmAsync(client); // the registry cache and the calendar's snapshot
        var small = await SteadyAsync(client);
        await SeedAsync(user, Enumerable.Range(0, 450).Select(i => ($"out-b{i}.ics", Event($"out-b{i}", new DateTime(2028, 1, 1, 8, 0, 0, DateTimeKind.Utc).AddHours(5 * i)))));
        await WarmAsync(client);
        var large = await SteadyAsync(client);
        output.WriteLine($"54 objects: {small.Tables} table + {small.Blobs} blob calls; 504 objects: {large.Tables} table + {large.Blobs} blob calls");

        Assert.Equal(4, small.Events); // three single events and the series' third instance
        Assert.Equal(small.Events, large.Events);
        Assert.Equal(small.Tables, large.Tables);
        Assert.True(large.Blobs <= small.Blobs, $"blobs {small.Blobs} -> {large.Blobs}");
        // Bodies read: at most the candidates (four objects), never the calendar.
        Assert.True(large.Blobs <= 4, $"{large.Blobs} blob calls");
        Assert.True(large.Tables <= 10, $"{large.Tables} table calls");
    }
}
