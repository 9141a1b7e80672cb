using System.Text.Json;
using Azure.Storage.Queues;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Microsoft.Extensions.Configuration;

namespace Caldera.Functions.Tests.LocalHost;

/// <summary>A queue-triggered function as the Functions host sees it in the built functions.metadata.</summary>
public sealed record QueueTriggerMetadata(string Name, string QueueName, string? Connection)
{
    public static IReadOnlyList<QueueTriggerMetadata> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RepoPaths.FunctionsMetadataFile));
        return [.. from function in doc.RootElement.EnumerateArray()
                   from binding in function.GetProperty("bindings").EnumerateArray()
                   where string.Equals(binding.GetProperty("type").GetString(), "queueTrigger", StringComparison.OrdinalIgnoreCase)
                   select new QueueTriggerMetadata(
                       function.GetProperty("name").GetString()!,
                       binding.GetProperty("queueName").GetString()!,
                       binding.TryGetProperty("connection", out var c) ? c.GetString() : null)];
    }
}

/// <summary>Start-up side of the queue pump: discovery from attributes, setting resolution, host.json settings.</summary>
public sealed class QueuePumpDiscoveryTests
{
    const string DevStorage = "UseDevelopmentStorage=true";

    static IConfiguration Config(params (string Key, string? Value)[] entries) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(entries.Select(e => KeyValuePair.Create(e.Key, e.Value)).Prepend(KeyValuePair.Create("Storage", (string?)DevStorage)))
            .Build();

    [Fact]
    public void QueuePump_discovery_resolves_percent_settings_double_underscores_and_literals_like_the_host()
    {
        var functions = QueueFunctionDiscovery.Discover(
            [typeof(PumpSucceeds), typeof(PumpBindings), typeof(PumpLiteral)],
            Config((PumpSucceeds.Setting, "Pump-From-Setting"), (PumpBindings.TextSetting, "q-text"),
                   (PumpBindings.BinarySetting, "q-binary"), ("PumpTest:Bytes", "q-bytes")));

        // In the host's order (by name); names lower-cased as the host does.
        Assert.Equal([PumpBindings.Binary, PumpBindings.Bytes, PumpLiteral.Name, PumpSucceeds.Name, PumpBindings.Text], functions.Select(f => f.Name));
        var byName = functions.ToDictionary(f => f.Name);
        Assert.Equal("pump-from-setting", byName[PumpSucceeds.Name].QueueName);
        Assert.Equal("q-text", byName[PumpBindings.Text].QueueName);
        Assert.Equal("q-binary", byName[PumpBindings.Binary].QueueName);
        Assert.Equal("q-bytes", byName[PumpBindings.Bytes].QueueName); // %PumpTest__Bytes% found as PumpTest:Bytes
        Assert.Equal("pump-literal-queue", byName[PumpLiteral.Name].QueueName);
        Assert.Equal("pump-from-setting-poison", byName[PumpSucceeds.Name].PoisonQueueName);

        Assert.Equal([QueueArgument.Message, QueueArgument.Cancellation], byName[PumpSucceeds.Name].Arguments);
        Assert.Equal([QueueArgument.Text], byName[PumpBindings.Text].Arguments);
        Assert.Equal([QueueArgument.Binary, QueueArgument.Cancellation], byName[PumpBindings.Binary].Arguments);
        Assert.Equal([QueueArgument.Bytes, QueueArgument.Cancellation], byName[PumpBindings.Bytes].Arguments);
        Assert.Equal("Storage", byName[PumpSucceeds.Name].Connection);
        Assert.Equal(DevStorage, byName[PumpSucceeds.Name].ConnectionString);
        Assert.DoesNotContain(DevStorage, byName[PumpSucceeds.Name].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void QueuePump_discovery_takes_the_connection_the_host_would_take()
    {
        // The host tries AzureWebJobs{name} before {name}; an empty Connection means "Storage".
        var both = QueueFunctionDiscovery.Discover([typeof(PumpSucceeds), typeof(PumpLiteral)],
            Config((PumpSucceeds.Setting, "qqq"), ("AzureWebJobsStorage", "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://prefixed")));
        Assert.All(both, f => Assert.Contains("prefixed", f.ConnectionString, StringComparison.Ordinal));

        var none = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create(PumpSucceeds.Setting, (string?)"qqq")]).Build();
        var e = Assert.Throws<InvalidOperationException>(() => QueueFunctionDiscovery.Discover([typeof(PumpSucceeds)], none));
        Assert.Contains(PumpSucceeds.Name, e.Message, StringComparison.Ordinal);
        Assert.Contains("Storage", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueuePump_discovery_fails_on_an_unresolved_setting_naming_function_and_setting()
    {
        var e = Assert.Throws<InvalidOperationException>(() => QueueFunctionDiscovery.Discover([typeof(PumpUnresolved)], Config()));
        Assert.Contains(PumpUnresolved.Name, e.Message, StringComparison.Ordinal);
        Assert.Contains(PumpUnresolved.Setting, e.Message, StringComparison.Ordinal);

        // An empty value is no value either.
        e = Assert.Throws<InvalidOperationException>(() => QueueFunctionDiscovery.Discover([typeof(PumpUnresolved)], Config((PumpUnresolved.Setting, ""))));
        Assert.Contains(PumpUnresolved.Setting, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueuePump_discovery_fails_on_an_invalid_resolved_queue_name()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            QueueFunctionDiscovery.Discover([typeof(PumpSucceeds)], Config((PumpSucceeds.Setting, "no_underscores"))));
        Assert.Contains(PumpSucceeds.Name, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(PumpUnsupportedParameter), PumpUnsupportedParameter.Name, nameof(PumpPayload))]
    [InlineData(typeof(PumpUnsupportedExtraParameter), PumpUnsupportedExtraParameter.Name, "FunctionContext")]
    public void QueuePump_discovery_fails_on_an_unsupported_parameter_type_naming_the_function(Type type, string function, string typeName)
    {
        var e = Assert.Throws<NotSupportedException>(() => QueueFunctionDiscovery.Discover([type], Config()));
        Assert.Contains(function, e.Message, StringComparison.Ordinal);
        Assert.Contains(typeName, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(PumpUnresolved), PumpUnresolved.Name)]
    [InlineData(typeof(PumpUnsupportedParameter), PumpUnsupportedParameter.Name)]
    public async Task QueuePump_errors_stop_the_local_host_at_start(Type type, string function)
    {
        // A connection string is given, so no Azurite starts; discovery fails before anything connects.
        var e = await Assert.ThrowsAnyAsync<Exception>(() => CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            Storage = DevStorage,
            User = null,
            QueueFunctionTypes = [type],
        }));
        Assert.True(e is InvalidOperationException or NotSupportedException, e.ToString());
        Assert.Contains(function, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueuePump_discovers_every_queue_trigger_of_the_functions_metadata()
    {
        // No second list: what the SDK wrote for the host is what the local host finds from the attributes.
        var metadata = QueueTriggerMetadata.Load();
        var settings = metadata
            .SelectMany(m => m.QueueName.Split('%').Where((_, i) => i % 2 == 1))
            .Distinct()
            .Select(s => (s, (string?)("q-" + s.ToLowerInvariant())))
            .ToArray();
        var found = QueueFunctionDiscovery.Discover(typeof(CalderaServices).Assembly, Config(settings));

        Assert.Equal(metadata.Select(m => m.Name).Order(StringComparer.OrdinalIgnoreCase), found.Select(f => f.Name));
        foreach (var f in found)
        {
            var m = metadata.Single(x => x.Name == f.Name);
            Assert.Equal(m.Connection ?? "", f.Connection);
            var expected = string.Concat(m.QueueName.Split('%').Select((part, i) => i % 2 == 1 ? "q-" + part.ToLowerInvariant() : part)).ToLowerInvariant();
            Assert.Equal(expected, f.QueueName);
        }
    }

    [Fact]
    public void QueuePump_settings_default_to_the_Azure_host_defaults()
    {
        using var doc = JsonDocument.Parse("""{ "version": "2.0", "extensions": { "http": { "routePrefix": "" } } }""");
        var s = HostJsonQueueSettings.Parse(doc.RootElement);
        Assert.Equal(16, s.BatchSize);
        Assert.Null(s.NewBatchThreshold);
        Assert.Equal(8 * Environment.ProcessorCount, s.EffectiveNewBatchThreshold);
        Assert.Equal(TimeSpan.FromMinutes(1), s.MaxPollingInterval);
        Assert.Equal(TimeSpan.Zero, s.VisibilityTimeout);
        Assert.Equal(5, s.MaxDequeueCount);
        Assert.Equal(QueueMessageEncoding.Base64, s.MessageEncoding);
        Assert.Equal(TimeSpan.FromMinutes(10), s.MessageLease);
    }

    [Fact]
    public void QueuePump_settings_are_read_from_extensions_queues()
    {
        using var doc = JsonDocument.Parse("""
            { "extensions": { "Queues": { "BatchSize": 4, "newBatchThreshold": 1, "maxPollingInterval": "00:00:02",
              "visibilityTimeout": "00:00:30", "maxDequeueCount": 2, "messageEncoding": "none", "connection": "ignored" } } }
            """);
        var s = HostJsonQueueSettings.Parse(doc.RootElement);
        Assert.Equal(QueueSettings.Default with
        {
            BatchSize = 4,
            NewBatchThreshold = 1,
            MaxPollingInterval = TimeSpan.FromSeconds(2),
            VisibilityTimeout = TimeSpan.FromSeconds(30),
            MaxDequeueCount = 2,
            MessageEncoding = QueueMessageEncoding.None,
        }, s);
    }

    [Theory]
    [InlineData("\"batchSize\": 33", "batchSize")]
    [InlineData("\"batchSize\": 0", "batchSize")]
    [InlineData("\"maxPollingInterval\": \"00:00:00.050\"", "maxPollingInterval")]
    [InlineData("\"maxPollingInterval\": 2000", "maxPollingInterval")]
    [InlineData("\"maxDequeueCount\": 0", "maxDequeueCount")]
    [InlineData("\"messageEncoding\": \"utf8\"", "messageEncoding")]
    [InlineData("\"newBatchThreshold\": -1", "newBatchThreshold")]
    public void QueuePump_settings_the_host_would_refuse_fail(string entry, string name)
    {
        using var doc = JsonDocument.Parse($$"""{ "extensions": { "queues": { {{entry}} } } }""");
        var e = Assert.Throws<InvalidOperationException>(() => HostJsonQueueSettings.Parse(doc.RootElement));
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void QueuePump_reads_the_built_host_json_and_it_agrees_with_what_the_app_writes()
    {
        var path = Path.Combine(Path.GetDirectoryName(typeof(CalderaServices).Assembly.Location)!, "host.json");
        var s = HostJsonQueueSettings.Read(path);
        // The app's queue client writes base64 (StorageClients), so host.json must read base64.
        Assert.Equal(QueueMessageEncoding.Base64, s.MessageEncoding);
    }

    [Fact]
    public void QueuePump_backoff_grows_to_the_maximum_and_resets_after_messages()
    {
        var backoff = new PollingBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
        var delays = Enumerable.Range(0, 12).Select(_ => backoff.Next(foundMessages: false)).ToList();
        Assert.InRange(delays[0], TimeSpan.FromMilliseconds(180), TimeSpan.FromMilliseconds(220));
        for (var i = 1; i < delays.Count; i++)
            Assert.True(delays[i] >= delays[i - 1], $"{delays[i]} after {delays[i - 1]}");
        Assert.Equal(TimeSpan.FromSeconds(2), delays[^1]);
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next(foundMessages: true));
        Assert.InRange(backoff.Next(foundMessages: false), TimeSpan.FromMilliseconds(180), TimeSpan.FromMilliseconds(220));
    }
}
