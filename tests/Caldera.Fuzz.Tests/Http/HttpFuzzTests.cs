using System.Net.Http.Headers;
using FsCheck.Fluent;
using Caldera.Fuzz.Tests.Harness;
using Caldera.Fuzz.Tests.Targets;
using Xunit.Abstractions;

namespace Caldera.Fuzz.Tests.Http;

/// <summary>
/// The corpus and FsCheck mutations of it sent as request bodies to a real local host: every XML body as PROPFIND,
/// PROPPATCH, REPORT (on the calendar, the home and the principal), MKCALENDAR and MKCOL; every iCalendar body as a
/// PUT. Whatever the body, the answer is never a 5xx (the body readers that need storage — multiget, expand-property,
/// principal reports — are reached only this way).
/// </summary>
public sealed class HttpFuzzTests(FuzzServerFixture server, ITestOutputHelper output) : IClassFixture<FuzzServerFixture>
{
    static readonly string[] ReportTargets = [FuzzServerFixture.Calendar, "/calendars/fuzz/", "/principals/fuzz/", FuzzServerFixture.Calendar + "seed-todo.ics"];

    int _counter;

    [Fact]
    public async Task Corpus_xml_bodies_never_answer_5xx()
    {
        var inputs = Corpus.Seeds("xml").Concat(Corpus.Seeds("filter")).ToList();
        await AssertNo5xx("xml", inputs, SendXmlAsync);
    }

    [Fact]
    public async Task Corpus_icalendar_bodies_never_answer_5xx() => await AssertNo5xx("ical", Corpus.Seeds("ical"), PutAsync);

    [Fact]
    public async Task Mutated_xml_bodies_never_answer_5xx()
    {
        var target = new XmlBodyTarget();
        var inputs = target.Inputs(Corpus.Seeds("xml")).Sample(numberOfSamples: Campaign.Cases(100), seed: new FsCheck.Rnd(Campaign.Seed), size: 50);
        await AssertNo5xx("xml", inputs, SendXmlAsync);
    }

    [Fact]
    public async Task Mutated_icalendar_bodies_never_answer_5xx()
    {
        var target = new ICalendarTarget();
        var inputs = target.Inputs(Corpus.Seeds("ical")).Sample(numberOfSamples: Campaign.Cases(120), seed: new FsCheck.Rnd(Campaign.Seed), size: 50);
        await AssertNo5xx("ical", inputs, PutAsync);
    }

    async Task AssertNo5xx(string kind, IReadOnlyList<byte[]> inputs, Func<byte[], Task<List<string>>> send)
    {
        var failures = new List<string>();
        foreach (var input in inputs)
            failures.AddRange(await send(input));
        var summary = $"http {kind}: {inputs.Count} inputs sent, {failures.Count} 5xx answers";
        Console.WriteLine(summary);
        output.WriteLine(summary);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }

    async Task<List<string>> SendXmlAsync(byte[] body)
    {
        var n = Interlocked.Increment(ref _counter);
        var requests = new List<(string Method, string Path, string? Depth)>
        {
            ("PROPFIND", FuzzServerFixture.Calendar, "1"),
            ("PROPFIND", "/", "0"),
            ("PROPPATCH", FuzzServerFixture.Calendar, null),
            ("MKCALENDAR", $"/calendars/fuzz/fuzz-{n}/", null),
            ("MKCOL", $"/calendars/fuzz/fuzz-col-{n}/", null),
        };
        requests.AddRange(ReportTargets.Select(t => ("REPORT", t, (string?)"1")));
        var failures = new List<string>();
        foreach (var (method, path, depth) in requests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            if (depth is not null)
                request.Headers.Add("Depth", depth);
            failures.AddRange(await SendAsync(request, body));
        }
        return failures;
    }

    async Task<List<string>> PutAsync(byte[] body)
    {
        var n = Interlocked.Increment(ref _counter);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{FuzzServerFixture.Calendar}fuzz-{n}.ics") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/calendar");
        return await SendAsync(request, body);
    }

    async Task<List<string>> SendAsync(HttpRequestMessage request, byte[] body)
    {
        // A body the server refuses unread (413 for its declared length, 401...) would otherwise race the client still
        // sending it: Kestrel closes the connection and the client sees a broken pipe instead of the answer.
        request.Headers.ExpectContinue = true;
        using var response = await server.Client.SendAsync(request);
        if ((int)response.StatusCode < 500)
            return [];
        var answer = await response.Content.ReadAsStringAsync();
        var saved = Environment.GetEnvironmentVariable("FUZZ_SAVE") == "1"
            ? Corpus.Save(request.Method == HttpMethod.Put ? "ical" : "xml", body, request.Method == HttpMethod.Put ? "ics" : "xml")
            : "(not saved)";
        return [$"{request.Method} {request.RequestUri} -> {(int)response.StatusCode} {answer[..Math.Min(300, answer.Length)]} ({saved})"];
    }
}
