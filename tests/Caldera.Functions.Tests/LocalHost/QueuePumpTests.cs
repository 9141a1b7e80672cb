using System.Text;
using Azure.Storage.Queues;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Caldera.Storage.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Caldera.Functions.Tests.LocalHost;

/// <summary>One in-memory Azurite for the pump tests; each test starts its own local host on it with its own queues.</summary>
public sealed class QueuePumpAzurite : IAsyncLifetime
{
    AzuriteProcess? _azurite;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite is not started");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _azurite = await AzuriteProcess.StartAsync(null, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
            await _azurite.DisposeAsync();
    }
}

/// <summary>
/// The local host drives queue-triggered functions as the Azure Functions host does: real Azurite queues, test-only
/// function classes, host.json-shaped settings shortened through <see cref="LocalServerOptions.Queues"/>.
/// </summary>
public sealed class QueuePumpTests(QueuePumpAzurite azurite) : IClassFixture<QueuePumpAzurite>, IAsyncLifetime
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Quick polling, immediate retries, three attempts.</summary>
    static readonly QueueSettings Fast = QueueSettings.Default with
    {
        MaxPollingInterval = TimeSpan.FromMilliseconds(250),
        VisibilityTimeout = TimeSpan.Zero,
        MaxDequeueCount = 3,
    };

    /// <summary>Text that only survives a correct UTF-8 + base64 round trip.</summary>
    const string Unicode = "Grüße aus Zürich — 日本語 📅 <x a=\"1\"/> & done";

    readonly PumpRecorder _recorder = new();
    readonly CapturedLogs _logs = new();
    readonly List<RunningServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _recorder.Gate.TrySetResult();
        foreach (var server in _servers)
            await server.DisposeAsync();
    }

    static string NewQueueName() => "pump-" + Guid.NewGuid().ToString("N")[..12];

    QueueClient Base64Queue(string name) =>
        new(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Sees the stored text itself (no decoding).</summary>
    QueueClient RawQueue(string name) =>
        new(azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    async Task<RunningServer> StartAsync(QueueSettings? settings, IDictionary<string, string?> configuration, params Type[]? functionTypes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            Storage = azurite.ConnectionString,
            StoragePrefix = "pump" + Guid.NewGuid().ToString("N")[..10],
            User = null,
            Queues = settings,
            QueueFunctionTypes = functionTypes,
            Configuration = configuration,
            ConfigureServices = services =>
            {
                services.AddSingleton(_recorder);
                services.AddSingleton<ILoggerProvider>(_logs);
            },
        }, timeout.Token);
        _servers.Add(server);
        return server;
    }

    static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"not within {Deadline.TotalSeconds:0} s: {what}");
            await Task.Delay(50);
        }
    }

    static Task EventuallyAsync(Func<bool> condition, string what) => EventuallyAsync(() => Task.FromResult(condition()), what);

    /// <summary>Visible and invisible messages alike.</summary>
    static async Task<int> CountAsync(QueueClient queue) =>
        (await queue.ExistsAsync()).Value ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

    static async Task<string[]> PeekTextsAsync(QueueClient queue) =>
        (await queue.ExistsAsync()).Value ? [.. (await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText)] : [];

    [Fact]
    public async Task QueuePump_runs_each_message_once_with_the_decoded_text_and_deletes_it()
    {
        string message = NewQueueName(), text = NewQueueName(), binary = NewQueueName(), bytes = NewQueueName();
        var server = await StartAsync(Fast, new Dictionary<string, string?>
        {
            [PumpSucceeds.Setting] = message,
            [PumpBindings.TextSetting] = text,
            [PumpBindings.BinarySetting] = binary,
            ["PumpTest:Bytes"] = bytes,
        }, typeof(PumpSucceeds), typeof(PumpBindings));
        Assert.Equal(
            [PumpBindings.Binary, PumpBindings.Bytes, PumpSucceeds.Name, PumpBindings.Text],
            server.QueueFunctions.Select(f => f.Name));

        var sent = new[] { Unicode, "plain ascii", "{\"json\":true}" };
        foreach (var body in sent)
            await Base64Queue(message).SendMessageAsync(body);
        foreach (var queue in new[] { text, binary, bytes })
            await Base64Queue(queue).SendMessageAsync(Unicode);

        await EventuallyAsync(() => _recorder.Calls.Count >= 6, "six invocations");
        await EventuallyAsync(async () =>
            await CountAsync(RawQueue(message)) + await CountAsync(RawQueue(text)) + await CountAsync(RawQueue(binary)) + await CountAsync(RawQueue(bytes)) == 0,
            "all four queues empty (messages deleted after success)");

        var calls = _recorder.Of(PumpSucceeds.Name);
        Assert.Equal(sent.Order(StringComparer.Ordinal), calls.Select(c => c.Text).Order(StringComparer.Ordinal));
        Assert.All(calls, c =>
        {
            Assert.Equal(1, c.DequeueCount);
            Assert.Equal(Encoding.UTF8.GetBytes(c.Text), c.Body); // Body is the decoded bytes, not the base64 text
            Assert.False(string.IsNullOrEmpty(c.MessageId));
            Assert.False(string.IsNullOrEmpty(c.PopReceipt));
        });
        foreach (var function in new[] { PumpBindings.Text, PumpBindings.Binary, PumpBindings.Bytes })
        {
            var call = Assert.Single(_recorder.Of(function));
            Assert.Equal(Unicode, call.Text);
            Assert.Equal(Encoding.UTF8.GetBytes(Unicode), call.Body);
        }
        Assert.Equal(6, _recorder.Calls.Count);
        Assert.False((await RawQueue(message + "-poison").ExistsAsync()).Value);
    }

    [Fact]
    public async Task QueuePump_moves_a_message_that_always_fails_to_the_poison_queue_after_maxDequeueCount_attempts()
    {
        var queue = NewQueueName();
        var server = await StartAsync(Fast, new Dictionary<string, string?> { [PumpAlwaysFails.Setting] = queue }, typeof(PumpAlwaysFails));
        Assert.Equal(queue + "-poison", Assert.Single(server.QueueFunctions).PoisonQueueName);

        var receipt = (await Base64Queue(queue).SendMessageAsync(Unicode)).Value;
        await EventuallyAsync(async () => (await PeekTextsAsync(RawQueue(queue + "-poison"))).Length > 0, "the message in the poison queue");

        var calls = _recorder.Of(PumpAlwaysFails.Name);
        Assert.Equal([1L, 2L, 3L], calls.Select(c => c.DequeueCount!.Value));
        Assert.All(calls, c => Assert.Equal(receipt.MessageId, c.MessageId));
        Assert.All(calls, c => Assert.Equal(Unicode, c.Text));
        // Same stored content as sent (the base64 text), hence the same text through a base64 client.
        Assert.Equal([Convert.ToBase64String(Encoding.UTF8.GetBytes(Unicode))], await PeekTextsAsync(RawQueue(queue + "-poison")));
        Assert.Equal([Unicode], await PeekTextsAsync(Base64Queue(queue + "-poison")));
        await EventuallyAsync(async () => await CountAsync(RawQueue(queue)) == 0, "the original queue empty");
        Assert.Equal(3, _recorder.Of(PumpAlwaysFails.Name).Count);

        // Each failure is logged with the function, the message id and the dequeue count.
        var failures = _logs.Entries.Where(e => e.Level == LogLevel.Error && e.Message.Contains(PumpAlwaysFails.Name, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.Contains(receipt.MessageId, f.Message, StringComparison.Ordinal));
        Assert.All(failures, f => Assert.IsType<InvalidOperationException>(f.Exception));
        for (var attempt = 1; attempt <= 3; attempt++)
            Assert.Contains(failures, f => f.Message.Contains($"dequeue count {attempt} of 3", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(queue + "-poison", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueuePump_retries_a_failed_message_and_the_retry_sees_dequeue_count_2()
    {
        var queue = NewQueueName();
        await StartAsync(Fast, new Dictionary<string, string?> { [PumpFailsOnce.Setting] = queue }, typeof(PumpFailsOnce));

        var receipt = (await Base64Queue(queue).SendMessageAsync("retry me")).Value;
        await EventuallyAsync(() => !_recorder.Completed.IsEmpty, "the second attempt succeeds");
        await EventuallyAsync(async () => await CountAsync(RawQueue(queue)) == 0, "the message deleted");

        var calls = _recorder.Of(PumpFailsOnce.Name);
        Assert.Equal([1L, 2L], calls.Select(c => c.DequeueCount!.Value));
        Assert.All(calls, c => Assert.Equal(receipt.MessageId, c.MessageId));
        Assert.All(calls, c => Assert.Equal("retry me", c.Text));
        Assert.Equal(0, await CountAsync(RawQueue(queue + "-poison")));
    }

    [Fact]
    public async Task QueuePump_waits_visibilityTimeout_before_a_retry()
    {
        var queue = NewQueueName();
        await StartAsync(Fast with { VisibilityTimeout = TimeSpan.FromSeconds(3) },
            new Dictionary<string, string?> { [PumpFailsOnce.Setting] = queue }, typeof(PumpFailsOnce));

        await Base64Queue(queue).SendMessageAsync("later");
        await EventuallyAsync(() => _recorder.Calls.Count == 1, "the first attempt");
        // Released, not deleted, and invisible for the retry delay: with 250 ms polling a visible message would have
        // been retried within this second (as the visibilityTimeout 0 tests show).
        await EventuallyAsync(() => _logs.Entries.Any(e => e.Level == LogLevel.Error), "the failure handled");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(_recorder.Calls);
        Assert.Equal(1, await CountAsync(RawQueue(queue)));
        Assert.Empty((await RawQueue(queue).PeekMessagesAsync()).Value);

        await EventuallyAsync(() => !_recorder.Completed.IsEmpty, "the retry after the delay");
        Assert.Equal([1L, 2L], _recorder.Calls.Select(c => c.DequeueCount!.Value));
    }

    [Fact]
    public async Task QueuePump_with_messageEncoding_none_passes_plain_text_and_poisons_it_unchanged()
    {
        string ok = NewQueueName(), failing = NewQueueName();
        await StartAsync(Fast with { MessageEncoding = QueueMessageEncoding.None }, new Dictionary<string, string?>
        {
            [PumpSucceeds.Setting] = ok,
            [PumpAlwaysFails.Setting] = failing,
        }, typeof(PumpSucceeds), typeof(PumpAlwaysFails));

        await RawQueue(ok).SendMessageAsync(Unicode);
        await RawQueue(failing).SendMessageAsync("plain, not base64");
        await EventuallyAsync(async () => (await PeekTextsAsync(RawQueue(failing + "-poison"))).Length > 0, "the failing message poisoned");
        await EventuallyAsync(async () => await CountAsync(RawQueue(ok)) == 0, "the good message deleted");

        Assert.Equal(Unicode, Assert.Single(_recorder.Of(PumpSucceeds.Name)).Text);
        Assert.Equal(3, _recorder.Of(PumpAlwaysFails.Name).Count);
        Assert.Equal(["plain, not base64"], await PeekTextsAsync(RawQueue(failing + "-poison")));
    }

    [Fact]
    public async Task QueuePump_moves_a_message_that_is_not_base64_to_the_poison_queue_without_running_the_function()
    {
        var queue = NewQueueName();
        await StartAsync(Fast, new Dictionary<string, string?> { [PumpSucceeds.Setting] = queue }, typeof(PumpSucceeds));

        await RawQueue(queue).SendMessageAsync("this is not base64!");
        await Base64Queue(queue).SendMessageAsync("this one is");
        await EventuallyAsync(async () => (await PeekTextsAsync(RawQueue(queue + "-poison"))).Length > 0, "the undecodable message poisoned");
        await EventuallyAsync(async () => await CountAsync(RawQueue(queue)) == 0, "the queue empty");

        Assert.Equal(["this is not base64!"], await PeekTextsAsync(RawQueue(queue + "-poison")));
        Assert.Equal("this one is", Assert.Single(_recorder.Calls).Text);
    }

    [Fact]
    public async Task QueuePump_poisons_a_message_already_past_maxDequeueCount_without_running_the_function()
    {
        // Three receives without completion, as when the process running the function died each time.
        var queue = NewQueueName();
        var raw = RawQueue(queue);
        await raw.CreateAsync();
        var stored = Convert.ToBase64String(Encoding.UTF8.GetBytes("crashed thrice"));
        await raw.SendMessageAsync(stored);
        for (var i = 0; i < 3; i++)
        {
            var m = Assert.Single((await raw.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value);
            await raw.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }

        await StartAsync(Fast, new Dictionary<string, string?> { [PumpSucceeds.Setting] = queue }, typeof(PumpSucceeds));
        await EventuallyAsync(async () => (await PeekTextsAsync(RawQueue(queue + "-poison"))).Length > 0, "the message poisoned");

        Assert.Equal([stored], await PeekTextsAsync(RawQueue(queue + "-poison")));
        Assert.Empty(_recorder.Calls);
        await EventuallyAsync(async () => await CountAsync(raw) == 0, "the original deleted");
    }

    [Fact]
    public async Task QueuePump_runs_at_most_batchSize_plus_newBatchThreshold_messages_at_once()
    {
        var queue = NewQueueName();
        var sender = Base64Queue(queue);
        await sender.CreateAsync();
        for (var i = 0; i < 5; i++)
            await sender.SendMessageAsync($"m{i}");

        await StartAsync(Fast with { BatchSize = 2, NewBatchThreshold = 0 },
            new Dictionary<string, string?> { [PumpBlocks.Setting] = queue }, typeof(PumpBlocks));
        await EventuallyAsync(() => _recorder.Running == 2, "two functions running");
        await Task.Delay(TimeSpan.FromSeconds(1)); // several polling intervals: no third message may start meanwhile
        Assert.Equal(2, _recorder.Calls.Count);
        Assert.Equal(2, _recorder.MaxRunning);

        _recorder.Gate.SetResult();
        await EventuallyAsync(() => _recorder.Completed.Count == 5, "all five messages processed");
        await EventuallyAsync(async () => await CountAsync(sender) == 0, "the queue empty");
        Assert.Equal(5, _recorder.Calls.Count);
        Assert.True(_recorder.MaxRunning <= 2, $"{_recorder.MaxRunning} ran at once");
    }

    [Fact]
    public async Task QueuePump_keeps_a_message_invisible_while_a_function_runs_longer_than_the_lease()
    {
        var queue = NewQueueName();
        // Renewed every second (half the lease); the function outlives three leases.
        _recorder.SlowFor = TimeSpan.FromSeconds(6);
        await StartAsync(Fast with { MessageLease = TimeSpan.FromSeconds(2) },
            new Dictionary<string, string?> { [PumpSlow.Setting] = queue }, typeof(PumpSlow));

        await Base64Queue(queue).SendMessageAsync("slow");
        await EventuallyAsync(() => !_recorder.Completed.IsEmpty, "the slow function finished");
        await EventuallyAsync(async () => await CountAsync(RawQueue(queue)) == 0, "the message deleted");

        // Without the renewal the message would have come back after 2 s and started a second run.
        Assert.True(_recorder.Calls.Count == 1, $"runs with dequeue counts {string.Join(", ", _recorder.Calls.Select(c => c.DequeueCount))}");
        var call = Assert.Single(_recorder.Calls);
        Assert.Equal(1, call.DequeueCount);
    }

    [Fact]
    public async Task QueuePump_on_shutdown_cancels_the_running_function_and_returns_its_message_to_the_queue()
    {
        var queue = NewQueueName();
        var server = await StartAsync(Fast, new Dictionary<string, string?> { [PumpBlocks.Setting] = queue }, typeof(PumpBlocks));
        var receipt = (await Base64Queue(queue).SendMessageAsync("interrupted")).Value;
        await EventuallyAsync(() => _recorder.Running == 1, "the function running");

        var stopping = server.DisposeAsync().AsTask();
        Assert.Same(stopping, await Task.WhenAny(stopping, Task.Delay(Deadline)));
        await stopping;

        Assert.Equal([receipt.MessageId], _recorder.Cancelled);
        Assert.Empty(_recorder.Completed);
        Assert.Equal(0, _recorder.Running);
        // Released like any failed attempt (visibilityTimeout 0): visible again, first dequeue spent, same content.
        var back = Assert.Single((await Base64Queue(queue).PeekMessagesAsync()).Value);
        Assert.Equal(receipt.MessageId, back.MessageId);
        Assert.Equal(1, back.DequeueCount);
        Assert.Equal("interrupted", back.MessageText);
    }

    [Fact]
    public async Task QueuePump_serves_the_Functions_assembly_queue_functions_by_default_on_the_local_host_settings()
    {
        // No QueueFunctionTypes and no Queues: the app's own functions, with host.json's settings.
        var server = await StartAsync(null, new Dictionary<string, string?>(), null);
        var metadata = QueueTriggerMetadata.Load();
        Assert.Equal(metadata.Select(m => m.Name).Order(StringComparer.OrdinalIgnoreCase), server.QueueFunctions.Select(f => f.Name));
        foreach (var function in server.QueueFunctions)
            Assert.True((await RawQueue(function.QueueName).ExistsAsync()).Value, $"{function.Name}: queue {function.QueueName} created at start");
    }
}
