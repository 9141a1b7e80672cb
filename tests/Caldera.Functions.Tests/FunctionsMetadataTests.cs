namespace Caldera.Functions.Tests;

/// <summary>
/// Checks the built functions.metadata (what the real Functions host reads) against the host's routing rules.
/// </summary>
public sealed class FunctionsMetadataTests
{
    public static readonly string[] DavVerbs =
        ["OPTIONS", "PROPFIND", "PROPPATCH", "MKCALENDAR", "MKCOL", "GET", "HEAD", "PUT", "DELETE", "REPORT", "COPY", "MOVE", "POST"];

    public static readonly string[] DavPaths =
        ["/", "/calendars/alice/", "/calendars/alice/work/x.ics", "/.well-known/caldav", "/principals/alice/"];

    const string CatchAll = "{*path}";

    static readonly IReadOnlyList<HttpFunctionEntry> Functions = FunctionsMetadata.LoadHttpFunctions();

    static string DavFunctionName(string verb) => "Webdav" + verb[0] + verb[1..].ToLowerInvariant();

    [Fact]
    public void Metadata_file_lists_http_functions()
    {
        Assert.True(File.Exists(RepoPaths.FunctionsMetadataFile), RepoPaths.FunctionsMetadataFile);
        Assert.Contains(Functions, f => f.Name == "Health");
        Assert.Equal(Functions.Count, Functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void Each_dav_verb_is_taken_by_exactly_one_catch_all_function(string verb)
    {
        var takers = Functions.Where(f => f.Route == CatchAll && f.Accepts(verb)).ToList();
        var only = Assert.Single(takers);
        Assert.Equal(DavFunctionName(verb), only.Name);
        Assert.False(only.AllMethods, $"{only.Name} must list its verb: a catch-all without methods takes everything");
        Assert.Contains(verb, only.Methods!);
        // and no function with another route claims the verb everywhere (the web API takes every verb, but only below web/api/)
        Assert.DoesNotContain(Functions, f => f.Route != CatchAll && f.AllMethods && f.Name != WebApi);
    }

    [Fact]
    public void Dav_functions_are_anonymous_catch_alls_named_webdav()
    {
        var dav = Functions.Where(f => f.Route == CatchAll).ToList();
        Assert.Equal(DavVerbs.Length, dav.Count);
        Assert.All(dav, f =>
        {
            Assert.Equal("Anonymous", f.AuthLevel, ignoreCase: true);
            Assert.StartsWith("Webdav", f.Name, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Non_dav_functions_sort_before_every_dav_function()
    {
        var firstDav = Functions.Where(f => f.Route == CatchAll).Select(f => f.Name).Min(StringComparer.OrdinalIgnoreCase)!;
        Assert.All(Functions.Where(f => f.Route != CatchAll), f =>
            Assert.True(StringComparer.OrdinalIgnoreCase.Compare(f.Name, firstDav) < 0,
                $"{f.Name} sorts after {firstDav}: the DAV catch-all would shadow its route"));
    }

    const string WebApi = "WebApi";
    const string WebAssets = "WebAssets";

    [Fact]
    public void The_web_page_functions_are_anonymous_and_confined_to_web()
    {
        var api = Functions.Single(f => f.Name == WebApi);
        Assert.Equal("web/api/{*path}", api.Route);
        // Only the verbs the API uses: any other (PROPFIND…) falls through to the DAV catch-all, like everywhere else.
        Assert.Equal(["DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"], api.Methods!.Select(m => m.ToUpperInvariant()).Order());
        Assert.Equal("Anonymous", api.AuthLevel, ignoreCase: true);
        var assets = Functions.Single(f => f.Name == WebAssets);
        Assert.Equal("web/{*path}", assets.Route);
        Assert.Equal(["GET", "HEAD"], assets.Methods!.Select(m => m.ToUpperInvariant()).Order());
        Assert.Equal("Anonymous", assets.AuthLevel, ignoreCase: true);
        // The API's route is inside the assets' route, and the Entra ID admin route inside the API's: the host
        // tries functions in name order, so the inner one must sort first.
        Assert.True(StringComparer.OrdinalIgnoreCase.Compare(WebApi, WebAssets) < 0);
        var admin = Functions.Single(f => f.Name == "WebAdmin");
        Assert.Equal("web/api/admin/{*path}", admin.Route);
        Assert.Equal("Anonymous", admin.AuthLevel, ignoreCase: true);
        Assert.Equal(["DELETE", "GET", "POST", "PUT"], admin.Methods!.Select(m => m.ToUpperInvariant()).Order());
        Assert.True(StringComparer.OrdinalIgnoreCase.Compare("WebAdmin", WebApi) < 0);
    }

    [Fact]
    public void Management_functions_need_a_function_key_and_health_is_anonymous()
    {
        Assert.All(Functions.Where(f => f.Route.StartsWith("manage/", StringComparison.OrdinalIgnoreCase)),
            f => Assert.Equal("Function", f.AuthLevel, ignoreCase: true));
        Assert.Equal("Anonymous", Functions.Single(f => f.Name == "Health").AuthLevel, ignoreCase: true);
    }

    [Fact]
    public void The_imip_webhook_needs_a_function_key()
    {
        var webhook = Functions.Single(f => f.Name == "ImipReceive");
        Assert.Equal("imip", webhook.Route);
        Assert.Equal("Function", webhook.AuthLevel, ignoreCase: true);
        Assert.Equal(["POST"], webhook.Methods);
    }

    [Fact]
    public void The_imip_queue_trigger_names_its_queue_setting_and_connection()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.FunctionsMetadataFile))!.AsArray();
        var function = json.Single(f => (string?)f!["name"] == "ImipProcess")!;
        var trigger = function["bindings"]!.AsArray().Single(b => (string?)b!["type"] == "queueTrigger")!;
        Assert.Equal("In", (string?)trigger["direction"]);
        // The host resolves %…% from app settings: infra sets CalderaImipQueue, and the app writes to the same queue.
        Assert.Equal("%" + Caldera.Storage.StorageLayout.ImipQueueSetting + "%", (string?)trigger["queueName"]);
        Assert.Equal("Storage", (string?)trigger["connection"]);
        Assert.Contains(Caldera.Functions.Configuration.CalderaSettings.RequiredInAzure, s => s.AppSettingName == Caldera.Storage.StorageLayout.ImipQueueSetting);
        Assert.Equal("calderaimip", new Caldera.Storage.StorageLayout("caldera").ImipQueue);
    }

    [Fact]
    public void The_orphan_sweeper_is_a_timer_on_its_schedule_setting()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepoPaths.FunctionsMetadataFile))!.AsArray();
        var function = json.Single(f => (string?)f!["name"] == "SweepOrphans")!;
        var trigger = function["bindings"]!.AsArray().Single()!;
        Assert.Equal(("timerTrigger", "In"), ((string?)trigger["type"], (string?)trigger["direction"]));
        // The host resolves %…% from app settings: infra sets CalderaSweepSchedule, the local host its default.
        Assert.Equal("%" + Caldera.Functions.Maintenance.OrphanSweepFunction.ScheduleSetting + "%", (string?)trigger["schedule"]);
        Assert.Contains(Caldera.Functions.Configuration.CalderaSettings.RequiredInAzure,
            s => s.AppSettingName == Caldera.Functions.Maintenance.OrphanSweepFunction.ScheduleSetting);
    }

    [Fact]
    public void The_host_would_start_no_reserved_routes_no_conflicts()
    {
        Assert.All(Functions, f =>
        {
            Assert.False(f.Route.StartsWith("admin", StringComparison.OrdinalIgnoreCase), f.Name);
            Assert.False(f.Route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase), f.Name);
        });
        Assert.Empty(new HostRoutingReplay(Functions).StartupErrors());
    }

    public static TheoryData<string> Verbs() => new(DavVerbs);

    public static TheoryData<string, string> VerbsAndPaths()
    {
        var data = new TheoryData<string, string>();
        foreach (var verb in DavVerbs)
        foreach (var path in DavPaths)
            data.Add(verb, path);
        return data;
    }

    [Theory]
    [MemberData(nameof(VerbsAndPaths))]
    public void Dav_requests_reach_their_verb_function(string verb, string path)
    {
        var replay = new HostRoutingReplay(Functions);
        Assert.Equal(DavFunctionName(verb), replay.Resolve(verb, path)?.Name);
    }

    [Theory]
    [InlineData("propfind", "/calendars/alice/", "WebdavPropfind")] // verbs match case-insensitively
    [InlineData("GET", "/healthz", "Health")]
    [InlineData("GET", "/manage/users", "ManageUsersList")]
    [InlineData("POST", "/manage/users", "ManageUsersCreate")]
    [InlineData("GET", "/manage/users/alice", "ManageUsersGet")]
    [InlineData("DELETE", "/manage/users/alice", "ManageUsersDelete")]
    [InlineData("GET", "/manage/users/alice/passwords", "ManagePasswordsList")]
    [InlineData("POST", "/manage/users/alice/passwords", "ManagePasswordsCreate")]
    [InlineData("DELETE", "/manage/users/alice/passwords/0123abcd", "ManagePasswordsRevoke")]
    [InlineData("GET", "/manage/providers/alice", "ManageProvidersList")]
    [InlineData("GET", "/manage/providers/*/weeknumbers", "ManageProvidersGet")]
    [InlineData("PUT", "/manage/providers/alice/weeknumbers", "ManageProvidersPut")]
    [InlineData("DELETE", "/manage/providers/*/weeknumbers", "ManageProvidersDelete")]
    [InlineData("GET", "/manage/users/alice/shares", "ManageSharesList")]
    [InlineData("PUT", "/manage/users/alice/calendars/work/shares/bob", "ManageSharesPut")]
    [InlineData("DELETE", "/manage/users/alice/calendars/work/shares/bob", "ManageSharesDelete")]
    [InlineData("GET", "/manage/users/alice/imip", "ManageImipList")]
    [InlineData("POST", "/manage/users/alice/address-index", "ManageUsersIndexAddress")]
    [InlineData("GET", "/manage/imip/unknown", "ManageImipUnknown")]
    [InlineData("POST", "/imip", "ImipReceive")]
    [InlineData("POST", "/calendars/alice/outbox/", "WebdavPost")] // RFC 6638 §5 free-busy requests
    [InlineData("PROPFIND", "/manage/providers/alice/weeknumbers", "WebdavPropfind")]
    [InlineData("GET", "/web/api/x", "WebApi")]
    [InlineData("POST", "/web/api/session", "WebApi")]
    [InlineData("PATCH", "/web/api/calendars/work", "WebApi")]
    [InlineData("DELETE", "/web/api/calendars/work", "WebApi")]
    [InlineData("PROPFIND", "/web/api/x", "WebdavPropfind")] // verbs the API does not use fall through to DAV
    [InlineData("GET", "/web/api/admin/users", "WebAdmin")]
    [InlineData("POST", "/web/api/admin/users", "WebAdmin")]
    [InlineData("GET", "/web/", "WebAssets")]
    [InlineData("GET", "/web/assets/app.js", "WebAssets")]
    [InlineData("HEAD", "/web/admin", "WebAssets")]
    [InlineData("PROPFIND", "/web/", "WebdavPropfind")] // other verbs on the page fall through to DAV
    [InlineData("PUT", "/web/assets/app.js", "WebdavPut")]
    // verbs no non-DAV function takes fall through to the DAV functions (the engine answers)
    [InlineData("PROPFIND", "/healthz", "WebdavPropfind")]
    [InlineData("PUT", "/manage/users", "WebdavPut")]
    [InlineData("GET", "/manage/users/alice/passwords/0123abcd", "WebdavGet")]
    public void Requests_reach_the_intended_function(string method, string path, string expected)
    {
        Assert.Equal(expected, new HostRoutingReplay(Functions).Resolve(method, path)?.Name);
    }

    [Theory]
    [InlineData("LOCK", "/calendars/alice/")]
    [InlineData("PATCH", "/calendars/alice/")]
    public void Verbs_no_function_takes_get_the_hosts_404(string method, string path)
    {
        Assert.Null(new HostRoutingReplay(Functions).Resolve(method, path));
    }

    // --- the replay itself is proven: it catches the mistakes it is there to catch ---

    [Fact]
    public void Replay_catches_a_catch_all_that_sorts_first()
    {
        HttpFunctionEntry[] bad =
        [
            new("Health", "healthz", ["GET"], "Anonymous"),
            new("Dav", CatchAll, null, "Anonymous"), // "Dav" < "Health": shadows /healthz
        ];
        var replay = new HostRoutingReplay(bad);
        Assert.Equal("Dav", replay.Resolve("GET", "/healthz")?.Name);

        var good = new HostRoutingReplay([bad[0], bad[1] with { Name = "WebdavAll" }]);
        Assert.Equal("Health", good.Resolve("GET", "/healthz")?.Name);
    }

    [Fact]
    public void Replay_catches_a_dav_verb_function_named_before_management()
    {
        var renamed = Functions.Select(f => f.Name == "WebdavGet" ? f with { Name = "AWebdavGet" } : f).ToList();
        var replay = new HostRoutingReplay(renamed);
        Assert.Equal("AWebdavGet", replay.Resolve("GET", "/manage/users")?.Name);
        Assert.Equal("AWebdavGet", replay.Resolve("GET", "/healthz")?.Name);
    }

    [Fact]
    public void Replay_method_mismatch_falls_through_and_unmatched_is_404()
    {
        var replay = new HostRoutingReplay(
        [
            new("A", "items/{id}", ["DELETE"], "Anonymous"),
            new("B", "items/{id}", ["GET"], "Anonymous"),
        ]);
        Assert.Equal("B", replay.Resolve("GET", "/items/1")?.Name);
        Assert.Equal("A", replay.Resolve("DELETE", "/items/1")?.Name);
        Assert.Null(replay.Resolve("PUT", "/items/1"));
        Assert.Null(replay.Resolve("GET", "/other"));
    }

    [Fact]
    public void Replay_reports_conflicts_and_reserved_routes()
    {
        var replay = new HostRoutingReplay(
        [
            new("Dav1", CatchAll, ["GET", "PUT"], "Anonymous"),
            new("Dav2", CatchAll, ["put"], "Anonymous"),
            new("All", "x", null, "Anonymous"),
            new("X", "X", ["GET"], "Anonymous"),
            new("Adm", "administration/users", ["GET"], "Function"),
            new("Rt", "runtime/x", ["GET"], "Function"),
            new("Disjoint", "y", ["GET"], "Anonymous"),
            new("Disjoint2", "y", ["POST"], "Anonymous"),
        ]);
        var errors = replay.StartupErrors();
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("Dav1") && e.Contains("Dav2"));
        Assert.Contains(errors, e => e.Contains("All") && e.Contains("X"));
        Assert.Contains(errors, e => e.StartsWith("Adm:"));
        Assert.Contains(errors, e => e.StartsWith("Rt:"));
    }

    [Fact]
    public void Metadata_reader_treats_missing_methods_as_all_and_missing_route_as_the_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"caldera-metadata-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            [ { "name": "Everything", "bindings": [ { "name": "req", "type": "httpTrigger", "direction": "In", "authLevel": "Anonymous" } ] },
              { "name": "Queue", "bindings": [ { "name": "m", "type": "queueTrigger", "direction": "In", "queueName": "q" } ] } ]
            """);
        try
        {
            var f = Assert.Single(FunctionsMetadata.LoadHttpFunctions(path));
            Assert.Equal("Everything", f.Route);
            Assert.True(f.AllMethods);
            Assert.True(f.Accepts("PROPFIND"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
