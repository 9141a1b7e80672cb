using System.Net;
using System.Text;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Dav;

/// <summary>Calendar object resources: PUT/GET/HEAD/DELETE with conditions (RFC 9110 §13), races, RFC 4791 §5.3.2 preconditions.</summary>
[Collection(CalderaServerCollection.Name)]
public sealed class ObjectTests(CalderaServerFixture server)
{
    const string Alice = CalderaServerFixture.Alice;

    static HttpRequestMessage With(HttpRequestMessage request, string header, string value)
    {
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    static void AssertStrongQuotedETag(string? etag)
    {
        Assert.NotNull(etag);
        Assert.False(etag!.StartsWith("W/", StringComparison.Ordinal), etag);
        Assert.True(etag.Length > 2 && etag[0] == '"' && etag[^1] == '"', etag);
    }

    [Fact]
    public async Task Put_get_head_update_delete_with_etags()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("obj"));
        var item = path + "event.ics";
        var uid = Unique("uid");
        var body = Event(uid, "First version");

        var created = await SendAsync(client, Put(item, body));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var etag = created.ETag;
        AssertStrongQuotedETag(etag);

        var get = await GetAsync(client, item);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(body, get.Text);
        Assert.Equal(etag, get.ETag);
        Assert.Equal("text/calendar", get.ContentHeaders.ContentType?.MediaType);

        var head = await SendAsync(client, new HttpRequestMessage(HttpMethod.Head, item));
        Assert.Equal(HttpStatusCode.OK, head.Status);
        Assert.Equal(etag, head.ETag);
        Assert.Empty(head.Body);
        Assert.Equal(Encoding.UTF8.GetByteCount(body), head.ContentHeaders.ContentLength);

        // GET with If-None-Match of the current ETag: 304 (RFC 9110 §13.1.2).
        var notModified = await SendAsync(client, With(new HttpRequestMessage(HttpMethod.Get, item), "If-None-Match", etag!));
        Assert.Equal(HttpStatusCode.NotModified, notModified.Status);
        Assert.Equal(etag, notModified.ETag);

        // Update with the right If-Match: 204 and a new ETag.
        var body2 = Event(uid, "Second version");
        var updated = await SendAsync(client, With(Put(item, body2), "If-Match", etag!));
        Assert.Equal(HttpStatusCode.NoContent, updated.Status);
        var etag2 = updated.ETag;
        AssertStrongQuotedETag(etag2);
        Assert.NotEqual(etag, etag2);

        // Update with the old ETag: 412, content unchanged.
        var stale = await SendAsync(client, With(Put(item, Event(uid, "Third version")), "If-Match", etag!));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        var afterStale = await GetAsync(client, item);
        Assert.Equal(body2, afterStale.Text);
        Assert.Equal(etag2, afterStale.ETag);

        // If-None-Match: * on an existing object: 412.
        var createOnly = await SendAsync(client, With(Put(item, Event(uid, "Clobber")), "If-None-Match", "*"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, createOnly.Status);
        Assert.Equal(body2, (await GetAsync(client, item)).Text);

        // DELETE with a wrong If-Match: 412, still there.
        var wrongDelete = await SendAsync(client, With(new HttpRequestMessage(HttpMethod.Delete, item), "If-Match", "\"nope\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, wrongDelete.Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, item)).Status);

        var delete = await SendAsync(client, With(new HttpRequestMessage(HttpMethod.Delete, item), "If-Match", etag2!));
        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, item)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, item))).Status);
    }

    [Fact]
    public async Task If_match_on_a_missing_object_is_412()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("obj-im"));
        var response = await SendAsync(client, With(Put(path + "missing.ics", Event(Unique("uid"))), "If-Match", "\"whatever\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "missing.ics")).Status);
    }

    [Fact]
    public async Task Put_into_a_missing_calendar_of_ones_own_home_is_409()
    {
        using var client = server.CreateClient(Alice);
        var response = await SendAsync(client, Put(CalendarPath(Alice, Unique("absent")) + "x.ics", Event(Unique("uid"))));
        // RFC 4918 §9.7.1: no parent collection, 409.
        Assert.Equal(HttpStatusCode.Conflict, response.Status);
    }

    [Fact]
    public async Task Put_on_a_calendar_collection_is_405_with_allow()
    {
        using var client = server.CreateClient(Alice);
        using var request = Put("/calendars/alice/default/", Event(Unique("uid")));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        // RFC 9110 §15.5.6: a 405 MUST carry Allow.
        var allow = response.Content.Headers.Allow;
        Assert.NotEmpty(allow);
        Assert.Contains("PROPFIND", allow);
        Assert.DoesNotContain("PUT", allow);
    }

    [Fact]
    public async Task Concurrent_updates_with_the_same_if_match_let_exactly_one_win()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("race"));
        var item = path + "contended.ics";
        var uid = Unique("uid");
        var etag = await PutNewAsync(client, item, Event(uid, "v0"));

        const int writers = 10;
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(1, writers).Select(async i =>
        {
            await start.WaitAsync();
            return await SendAsync(client, With(Put(item, Event(uid, $"writer {i}")), "If-Match", etag));
        }).ToList();
        start.Release(writers);
        var results = await Task.WhenAll(tasks);

        var winners = results.Where(r => (int)r.Status is >= 200 and < 300).ToList();
        Assert.True(winners.Count == 1, string.Join(" | ", results.Select(r => (int)r.Status)));
        Assert.All(results.Except(winners), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.Status));
        var final = await GetAsync(client, item);
        Assert.Equal(winners[0].ETag, final.ETag);
    }

    [Fact]
    public async Task Concurrent_creates_with_if_none_match_star_let_exactly_one_win()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("race-new"));
        var item = path + "fresh.ics";
        var uid = Unique("uid");

        const int writers = 8;
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(1, writers).Select(async i =>
        {
            await start.WaitAsync();
            return await SendAsync(client, With(Put(item, Event(uid, $"creator {i}")), "If-None-Match", "*"));
        }).ToList();
        start.Release(writers);
        var results = await Task.WhenAll(tasks);

        Assert.True(results.Count(r => r.Status == HttpStatusCode.Created) == 1, string.Join(" | ", results.Select(r => (int)r.Status)));
        Assert.All(results.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.Status));
        var winner = results.Single(r => r.Status == HttpStatusCode.Created);
        Assert.Equal(winner.ETag, (await GetAsync(client, item)).ETag);
    }

    [Fact]
    public async Task Same_uid_under_another_name_is_403_no_uid_conflict_with_the_existing_href()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("uidc"));
        var uid = Unique("uid");
        await PutNewAsync(client, path + "first.ics", Event(uid, "first"));

        var response = await SendAsync(client, Put(path + "second.ics", Event(uid, "second")));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        var conflict = response.Condition(C + "no-uid-conflict");
        Assert.Equal(path + "first.ics", conflict.Element(D + "href")?.Value);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "second.ics")).Status);
    }

    public static TheoryData<string, string, string> BadObjects() => new()
    {
        { "not iCalendar", "this is not a calendar\r\n", "valid-calendar-data" },
        { "unclosed VEVENT", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T000000Z\r\nEND:VCALENDAR\r\n", "valid-calendar-data" },
        { "two UIDs", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" +
            "BEGIN:VEVENT\r\nUID:one\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n" +
            "BEGIN:VEVENT\r\nUID:two\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240102T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "valid-calendar-object-resource" },
        { "METHOD", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\n" +
            "BEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "valid-calendar-object-resource" },
        { "VEVENT and VTODO", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" +
            "BEGIN:VEVENT\r\nUID:mix\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n" +
            "BEGIN:VTODO\r\nUID:mix\r\nDTSTAMP:20240101T000000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", "valid-calendar-object-resource" },
    };

    [Theory]
    [MemberData(nameof(BadObjects))]
    public async Task Invalid_objects_are_refused_with_their_precondition(string why, string body, string condition)
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("bad"));
        var response = await SendAsync(client, Put(path + "bad.ics", body));
        Assert.True(response.Status == HttpStatusCode.Forbidden, $"{why}: {response}");
        Assert.Contains(C + condition, response.ErrorConditions());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "bad.ics")).Status);
    }

    [Fact]
    public async Task A_vtodo_in_a_vevent_only_calendar_is_403_supported_calendar_component()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("events"), "VEVENT");
        var response = await SendAsync(client, Put(path + "task.ics", Todo(Unique("uid"))));
        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Contains(C + "supported-calendar-component", response.ErrorConditions());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "task.ics")).Status);
    }

    [Fact]
    public async Task A_json_body_is_415_supported_calendar_data()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("json"));
        var response = await SendAsync(client, Put(path + "x.ics", Event(Unique("uid")), "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Contains(C + "supported-calendar-data", response.ErrorConditions());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "x.ics")).Status);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413_max_resource_size_and_not_stored()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("big"));
        var description = new StringBuilder();
        while (description.Length < 1024 * 1024 + 100)
            description.Append(" ").Append(new string('x', 70)).Append("\r\n");
        var body = Event(Unique("uid"), extra: "DESCRIPTION:start\r\n" + description);
        var response = await SendAsync(client, Put(path + "big.ics", body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Contains(C + "max-resource-size", response.ErrorConditions());
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "big.ics")).Status);
        var listing = await PropfindAsync(client, path, "1", D + "getetag");
        Assert.Equal([path], listing.Responses().Keys);
    }

    [Fact]
    public async Task A_chunked_body_over_one_mebibyte_is_413_too()
    {
        using var client = server.CreateClient(Alice);
        var path = await MakeCalendarAsync(client, Alice, Unique("big-chunked"));
        var bytes = Encoding.UTF8.GetBytes(Event(Unique("uid"), extra: "DESCRIPTION:" + new string('y', 70) + "\r\n" +
            string.Concat(Enumerable.Repeat(" " + new string('y', 70) + "\r\n", 16000))));
        var request = new HttpRequestMessage(HttpMethod.Put, path + "big.ics") { Content = new StreamContent(new MemoryStream(bytes)) };
        request.Content.Headers.ContentType = new("text/calendar");
        request.Headers.TransferEncodingChunked = true;
        var response = await SendAsync(client, request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "big.ics")).Status);
    }
}
