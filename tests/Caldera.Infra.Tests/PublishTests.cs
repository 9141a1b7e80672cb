using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json.Nodes;
using Caldera.Functions;
using Xunit.Abstractions;

namespace Caldera.Infra.Tests;

/// <summary>The deployable output: what the Functions host reads from the package azd uploads.</summary>
public sealed class PublishTests(PublishFixture publish, ITestOutputHelper output) : IClassFixture<PublishFixture>
{
    static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;

    [Fact]
    public void Publish_succeeds()
    {
        output.WriteLine($"dotnet publish -c Release: {publish.Publish.Duration.TotalSeconds:F1} s");
        Assert.True(publish.Publish.ExitCode == 0, publish.Publish.Output);
    }

    [Fact]
    public void Host_json_serves_functions_at_the_root()
    {
        var host = Json(publish.File("host.json"));
        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("", (string?)host["extensions"]!["http"]!["routePrefix"]);
    }

    [Fact]
    public void Worker_config_starts_the_apps_own_assembly()
    {
        var worker = Json(publish.File("worker.config.json"))["description"]!;
        Assert.Equal("dotnet-isolated", (string?)worker["language"]);
        Assert.Equal("Caldera.Functions.dll", (string?)worker["defaultWorkerPath"]);
        Assert.True(File.Exists(Path.Combine(publish.Output, "Caldera.Functions.dll")));
    }

    [Fact]
    public void Functions_metadata_lists_health_management_and_dav_functions()
    {
        var functions = Json(publish.File("functions.metadata")).AsArray().Select(f => f!).ToList();
        JsonNode Trigger(JsonNode f) => f["bindings"]!.AsArray().Single(b => (string?)b!["type"] == "httpTrigger")!;

        var health = functions.Single(f => (string?)f["name"] == "Health");
        Assert.Equal(HealthFunction.Route, (string?)Trigger(health)["route"]);
        Assert.Equal("Anonymous", (string?)Trigger(health)["authLevel"], ignoreCase: true);
        Assert.Contains(functions, f => ((string?)f["name"])!.StartsWith("Manage", StringComparison.Ordinal));
        Assert.Equal("web/api/{*path}", (string?)Trigger(functions.Single(f => (string?)f["name"] == "WebApi"))["route"]);
        Assert.Equal("web/{*path}", (string?)Trigger(functions.Single(f => (string?)f["name"] == "WebAssets"))["route"]);
        var dav = functions.Where(f => ((string?)f["name"])!.StartsWith(Caldera.Functions.Dav.DavFunction.NamePrefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dav);
        Assert.All(dav, f => Assert.Equal(Caldera.Functions.Dav.DavFunction.Route, (string?)Trigger(f)["route"]));
        Assert.All(functions, f => Assert.Equal("Caldera.Functions.dll", (string?)f["scriptFile"]));
        // the host tries functions by name: nothing else may sort after the DAV catch-alls
        var lastNonDav = functions.Select(f => (string)f["name"]!).Where(n => !n.StartsWith("Webdav", StringComparison.Ordinal)).Max(StringComparer.OrdinalIgnoreCase);
        Assert.True(StringComparer.OrdinalIgnoreCase.Compare(lastNonDav, "Webdav") < 0, lastNonDav);
    }

    [Fact]
    public void Package_carries_the_queue_extension_the_host_needs_for_ImipProcess()
    {
        // Without the host-side extension listed in extensions.json (and its assembly beside it) the Functions host
        // would refuse to index the queue trigger.
        var extensions = Json(publish.File("extensions.json"))["extensions"]!.AsArray();
        var queues = extensions.Single(e => (string?)e!["name"] == "AzureStorageQueues")!;
        var hint = ((string?)queues["hintPath"])!;
        Assert.True(File.Exists(Path.Combine(publish.Output, hint)), hint);

        var functions = Json(publish.File("functions.metadata")).AsArray().Select(f => f!).ToList();
        var trigger = functions.Single(f => (string?)f["name"] == "ImipProcess")["bindings"]!.AsArray().Single()!;
        Assert.Equal("queueTrigger", (string?)trigger["type"]);
        Assert.Equal("%CalderaImipQueue%", (string?)trigger["queueName"]);
        Assert.Equal("Storage", (string?)trigger["connection"]);
        var host = Json(publish.File("host.json"))["extensions"]!["queues"]!;
        Assert.Equal("base64", (string?)host["messageEncoding"]);
        Assert.True((int)host["maxDequeueCount"]! >= 2);
    }

    [Fact]
    public void Package_carries_the_orphan_sweeper_timer_on_its_schedule_setting()
    {
        // The timer trigger's host side is built into the Functions host: no extensions.json entry, only the binding.
        var functions = Json(publish.File("functions.metadata")).AsArray().Select(f => f!).ToList();
        var trigger = functions.Single(f => (string?)f["name"] == "SweepOrphans")["bindings"]!.AsArray().Single()!;
        Assert.Equal("timerTrigger", (string?)trigger["type"]);
        Assert.Equal("%CalderaSweepSchedule%", (string?)trigger["schedule"]);
    }

    [Fact]
    public void Package_carries_the_web_page_bundle_inside_Caldera_Web()
    {
        // The page is served from resources embedded at build time (no files beside the app, no CDN): the package
        // must hold them, built, on a publish from scratch.
        using var pe = new PEReader(File.OpenRead(publish.File("Caldera.Web.dll")));
        var metadata = pe.GetMetadataReader();
        var resources = metadata.ManifestResources.Select(metadata.GetManifestResource)
            .ToDictionary(r => metadata.GetString(r.Name), r => r);
        foreach (var name in new[] { "web/index.html", "web/admin.html", "web/assets/app.js", "web/assets/admin.js", "web/assets/app.css", "web/assets/favicon.svg" })
            Assert.True(resources.ContainsKey(name), $"{name} is not embedded; resources: {string.Join(", ", resources.Keys)}");

        var index = Encoding.UTF8.GetString(Resource(pe, resources["web/index.html"]));
        Assert.Contains("""<script type="module" src="/web/assets/app.js"></script>""", index);
        Assert.Contains("{{CSP_NONCE}}", index);
        Assert.True(Resource(pe, resources["web/assets/app.js"]).Length > 50_000, "app.js should carry FullCalendar");
        Assert.False(Directory.Exists(Path.Combine(publish.Output, "web")), "the page is embedded, not copied beside the app");
    }

    /// <summary>The bytes of an embedded resource: a 4-byte length, then the content, at its offset in the resources directory.</summary>
    static byte[] Resource(PEReader pe, ManifestResource resource)
    {
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        Assert.True(pe.PEHeaders.TryGetDirectoryOffset(directory, out var start));
        var image = pe.GetEntireImage().GetContent();
        var at = start + (int)resource.Offset;
        var length = BitConverter.ToInt32(image.AsSpan(at, 4));
        return image.AsSpan(at + 4, length).ToArray();
    }

    [Fact]
    public void Package_holds_no_local_settings()
    {
        Assert.True(publish.Publish.ExitCode == 0, publish.Publish.Output);
        Assert.False(File.Exists(Path.Combine(publish.Output, "local.settings.json")));
        Assert.True(File.Exists(Path.Combine(publish.Output, "extensions.json")) || Directory.Exists(Path.Combine(publish.Output, ".azurefunctions")),
            "the Functions build output (extensions.json / .azurefunctions) is missing");
    }
}
