using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Caldera.Functions.Tests.Dav;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// An add-member POST (RFC 5995) goes through the implicit-scheduling hooks exactly as a create-only PUT does: the
/// scheduler sees a create under the server-chosen name, its Schedule-Tag is answered, and a body it changed gets no ETag.
/// </summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavAddMemberSchedulingTests(DavSchedulingFixture server)
{
    const string User = "alice";

    static HttpRequestMessage Post(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/calendar; charset=utf-8");
        return request;
    }

    static string? TagOf(DavResponse response) =>
        response.Headers.TryGetValues("Schedule-Tag", out var values) ? values.Single() : null;

    [Fact]
    public async Task A_scheduling_post_is_scheduled_as_a_create_under_the_chosen_name()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("amsched"));
        var uid = Unique("u");
        var post = await SendAsync(client, Post(path + "?add-member", Event(uid, "sched-invite")));
        Assert.True(post.Status == HttpStatusCode.Created, post.ToString());
        Assert.Equal(path + uid + ".ics", post.Headers.Location?.OriginalString);
        Assert.NotNull(TagOf(post));
        Assert.NotNull(post.ETag);
        var get = await GetAsync(client, path + uid + ".ics");
        Assert.Equal((TagOf(post), post.ETag), (TagOf(get), get.ETag));
        var calls = server.Scheduler.CallsFor(uid + ".ics");
        Assert.Equal(["write", "complete"], calls.Select(c => c.Call));
        Assert.Null(calls[0].ExistingETag);
    }

    [Fact]
    public async Task A_body_the_scheduler_changed_is_answered_with_location_but_no_etag()
    {
        using var client = server.CreateClient(User);
        var path = await MakeCalendarAsync(client, User, Unique("amrewrite"));
        var post = await SendAsync(client, Post(path + "?add-member", Event(Unique("u"), "sched-rewrite")));
        Assert.Equal(HttpStatusCode.Created, post.Status);
        Assert.Null(post.ETag); // RFC 4791 §5.3.4: the stored body is not the one sent
        Assert.Contains("SUMMARY:sched-rewritten", (await GetAsync(client, post.Headers.Location!.OriginalString)).Text);
    }
}
