// Times calendar-query REPORTs through the real CalendarQueryReport over a calgen-like calendar held in memory
// (index filter as the table store's, bodies from memory), so what is measured is the engine's CPU:
//   dotnet run -c Release --project tests/bench/QueryMatch [-- objects [queries]]
// "before": no exact envelopes and no timelines, i.e. every candidate parsed and evaluated (the code before
// issue 11); "after, cold": the first query of each range (timelines being built); "after, warm": again.
using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Query;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Tests;
using Caldera.Dav;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Reports;
using Caldera.QueryMatch;
using Microsoft.AspNetCore.Http;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var queries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var generated = CalGen.Generate(count, seed: 42);
var parsed = generated.Select(g => (g.Name, Parsed: CalendarObjectParser.Parse(System.Text.Encoding.UTF8.GetBytes(g.Ics), ["VEVENT"]))).ToList();
Console.WriteLine($"{count} objects: {parsed.Count(p => p.Parsed.Recurring)} recurring, {parsed.Count(p => p.Parsed.EnvelopeExact)} with an exact envelope");

var rng = new Random(1);
var weeks = Enumerable.Range(0, queries).Select(_ => CalGen.SpanStart.AddDays(7 * rng.Next(100))).ToList();
var months = Enumerable.Range(0, queries).Select(_ => CalGen.SpanStart.AddMonths(rng.Next(23))).ToList();
var clock = new FixedClock(new DateTimeOffset(CalGen.SpanStart.AddYears(1), TimeSpan.Zero));

Run("warm-up", envelopes: true, cacheBytes: 1 << 20, weeks.Take(2).ToList(), months.Take(2).ToList(), quiet: true); // JIT
var before = Run("before", envelopes: false, cacheBytes: 0, weeks, months);
var after = Run("after", envelopes: true, cacheBytes: TimelineCacheSettings.DefaultMegabytes << 20, weeks, months);
Console.WriteLine(before.SequenceEqual(after) ? "answers identical (same hrefs for every query)" : "ANSWERS DIFFER");

List<string> Run(string label, bool envelopes, long cacheBytes, List<DateTime> weeks, List<DateTime> months, bool quiet = false)
{
    var objects = parsed.Select(p => new MemoryObject(p.Name, p.Parsed, envelopes)).ToList();
    var options = new DavOptions();
    var cache = new TimelineCache(new TimelineCacheSettings { MaxBytes = cacheBytes }, clock);
    var report = new CalendarQueryReport(new ObjectResponses(new PropertyReader(new PropertyRegistry(options)), options), options, cache);
    var node = new CalendarNode("bench", new HomeCalendar("bench", "store", new MemoryCalendar(objects)));
    var passes = cacheBytes > 0 ? new[] { "cold", "warm" } : ["-"];
    var answers = new List<string>();
    foreach (var pass in passes)
    {
        answers.Clear();
        var week = Time(report, node, weeks, 7, calendarData: false, answers, out var weekHits);
        var month = Time(report, node, months, 0, calendarData: true, answers, out var monthHits);
        if (!quiet)
            Console.WriteLine($"{label,-6} {pass,-4}  week/getetag: median {week.Median,6:F1} ms, max {week.Max,6:F1} ms ({weekHits:F0} hits)   " +
                          $"month/calendar-data: median {month.Median,6:F1} ms, max {month.Max,6:F1} ms ({monthHits:F0} hits)" +
                          (cacheBytes > 0 ? $"   timelines {cache.Count}, {cache.Bytes / 1024.0 / 1024:F1} MiB" : ""));
    }
    return answers;
}

static (double Median, double Max) Time(CalendarQueryReport report, CalendarNode node, List<DateTime> starts, int days, bool calendarData,
    List<string> answers, out double hits)
{
    var times = new List<double>();
    long total = 0;
    foreach (var start in starts)
    {
        var end = days > 0 ? start.AddDays(days) : start.AddMonths(1);
        var body = XElement.Parse(
            "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><D:prop><D:getetag/>" + (calendarData ? "<C:calendar-data/>" : "") +
            $"</D:prop><C:filter><C:comp-filter name=\"VCALENDAR\"><C:comp-filter name=\"VEVENT\"><C:time-range start=\"{start:yyyyMMdd'T'HHmmss'Z'}\" end=\"{end:yyyyMMdd'T'HHmmss'Z'}\"/>" +
            "</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>");
        var http = new DefaultHttpContext();
        var output = new MemoryStream();
        http.Response.Body = output;
        var ctx = new DavContext(http, "bench", DavPath.Parse(node.Href), CancellationToken.None);
        var watch = Stopwatch.StartNew();
        report.RunAsync(ctx, node, body).GetAwaiter().GetResult();
        times.Add(watch.Elapsed.TotalMilliseconds);
        var hrefs = XElement.Parse(System.Text.Encoding.UTF8.GetString(output.ToArray()))
            .Descendants(XName.Get("href", "DAV:")).Select(h => h.Value).Order().ToList();
        answers.Add(string.Join(" ", hrefs));
        total += hrefs.Count;
    }
    hits = (double)total / starts.Count;
    times.Sort();
    return (times[times.Count / 2], times[^1]);
}

/// <summary>The timelines' build time: the middle of calgen's two years, as if the server ran then.</summary>
sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
