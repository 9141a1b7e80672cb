using System.Net;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Faults.ObjectWriteScenario;

namespace Caldera.Functions.Tests.Faults;

/// <summary>
/// MKCALENDAR and calendar DELETE with the Nth storage call failing (every N, the CI fault kinds, both modes): a
/// success that happened or a 503 with Retry-After; the calendar is wholly there (its objects unchanged) or wholly
/// gone; the name can be made again afterwards and starts empty, with no UID left over from the old incarnation.
/// </summary>
[Collection(FaultServerCollection.Name)]
public sealed class CalendarFaultTests(FaultServerFixture server, ITestOutputHelper output)
{
    [Fact]
    public async Task Mkcalendar_is_old_or_new_under_a_fault_at_every_call()
    {
        using var client = server.Client();
        var probe = new FaultProbe(server, client);
        await new FaultMatrix(output).RunAsync("MKCALENDAR", async plan =>
        {
            var name = Unique("mk");
            var path = CalendarPath(FaultProbe.User, name);
            var request = Xml(Mkcalendar, path, $"""
                <C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>{name}</D:displayname></D:prop></D:set></C:mkcalendar>
                """);
            var id = server.Arm(request, plan);
            var response = await SendAsync(client, request);
            var succeeded = response.Status == HttpStatusCode.Created;
            if (!succeeded)
                FaultMatrix.AssertCleanError(response);

            var props = await PropfindAsync(client, path, "0", D + "displayname");
            var exists = props.Status == HttpStatusCode.MultiStatus;
            Assert.True(exists || props.Status == HttpStatusCode.NotFound, $"PROPFIND {path}: {props}");
            Assert.True(!succeeded || exists, "201 answered but the calendar is not there");
            if (exists)
            {
                Assert.Equal(name, props.Responses().Values.Single().Prop(D + "displayname").Value);
                Assert.Empty(await probe.ListAsync(path));
                var again = await SendAsync(client, Xml(Mkcalendar, path, null));
                Assert.True(again.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.Forbidden, $"MKCALENDAR again on an existing calendar: {again}");
            }
            else
                await MakeCalendarAsync(client, FaultProbe.User, name);
            Assert.Contains(path, await HomeAsync(client));
            await PutNewAsync(client, path + "a.ics", LargeEvent(Unique("uid"), "after MKCALENDAR"));
            Assert.Single(await probe.ListAsync(path));
            return (server.PlanOf(id), await probe.OrphansAsync(name));
        });
    }

    [Fact]
    public async Task Calendar_delete_is_old_or_new_under_a_fault_at_every_call()
    {
        using var client = server.Client();
        var probe = new FaultProbe(server, client);
        var store = server.Services.GetRequiredService<ICalendarStore>();
        await new FaultMatrix(output).RunAsync("calendar DELETE", async plan =>
        {
            var name = Unique("del");
            var path = await MakeCalendarAsync(client, FaultProbe.User, name);
            var uid = Unique("uid");
            await PutNewAsync(client, path + "a.ics", LargeEvent(uid, "in a deleted calendar"));
            await PutNewAsync(client, path + "b.ics", Event(Unique("uid"), "small"));
            var before = new Dictionary<string, ObjectState> { [path + "a.ics"] = await probe.ReadAsync(path + "a.ics"), [path + "b.ics"] = await probe.ReadAsync(path + "b.ics") };
            var token = await probe.SyncTokenAsync(path);
            var oldId = (await store.GetCalendarAsync(FaultProbe.User, name, CancellationToken.None))!.Id;

            var request = new HttpRequestMessage(HttpMethod.Delete, path);
            var id = server.Arm(request, plan);
            var response = await SendAsync(client, request);
            var succeeded = response.Status == HttpStatusCode.NoContent;
            if (!succeeded)
                FaultMatrix.AssertCleanError(response);

            var props = await PropfindAsync(client, path, "0", D + "displayname");
            var exists = props.Status == HttpStatusCode.MultiStatus;
            Assert.True(exists || props.Status == HttpStatusCode.NotFound, $"PROPFIND {path}: {props}");
            Assert.True(!succeeded || !exists, "204 answered but the calendar is still there");
            int orphans;
            if (exists)
            {
                // Wholly old: the objects, the listing and sync as before.
                foreach (var (href, state) in before)
                    Assert.Equal(state, await probe.ReadAsync(href));
                Assert.Equal(2, (await probe.ListAsync(path)).Count);
                Assert.Empty(await probe.ChangesSinceAsync(path, token));
                orphans = await probe.OrphansAsync(name);
            }
            else
            {
                foreach (var href in before.Keys)
                    Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, href)).Status);
                Assert.DoesNotContain(path, await HomeAsync(client));
                // What the purge left of the old incarnation (it failed): invisible, counted as orphans.
                orphans = (await probe.BlobNamesAsync(oldId)).Count;
                // The name is free and starts empty: no object or UID of the old incarnation comes back.
                await MakeCalendarAsync(client, FaultProbe.User, name);
                Assert.Empty(await probe.ListAsync(path));
                Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(client, path + "a.ics")).Status);
                await PutNewAsync(client, path + "c.ics", Event(uid, "same UID in the new incarnation"));
            }
            await PutNewAsync(client, path + Unique("later") + ".ics", Event(Unique("uid"), "later write"));
            return (server.PlanOf(id), orphans);
        });
    }

    static async Task<List<string>> HomeAsync(HttpClient client)
    {
        var home = await PropfindAsync(client, $"/calendars/{FaultProbe.User}/", "1", D + "resourcetype");
        Assert.Equal(HttpStatusCode.MultiStatus, home.Status);
        return home.Responses().Keys.Select(Uri.UnescapeDataString).ToList();
    }
}
