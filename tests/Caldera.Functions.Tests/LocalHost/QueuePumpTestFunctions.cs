using System.Collections.Concurrent;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Caldera.Functions.Tests.LocalHost;

// Test-only queue functions, shaped like the app's (DI constructor, [Function], [QueueTrigger] with a %setting%).
// The tests give the local host these types instead of the Functions assembly's and name each queue per test.

/// <summary>What the test functions saw; registered as a singleton so the functions get it by constructor injection.</summary>
public sealed class PumpRecorder
{
    int _running, _maxRunning;

    public ConcurrentQueue<PumpCall> Calls { get; } = new();
    public ConcurrentQueue<string> Completed { get; } = new();
    public ConcurrentQueue<string> Cancelled { get; } = new();

    /// <summary>Blocking functions wait for this.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long <see cref="PumpSlow"/> works.</summary>
    public TimeSpan SlowFor { get; set; } = TimeSpan.FromSeconds(3);

    public int Running => Volatile.Read(ref _running);
    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public IReadOnlyList<PumpCall> Of(string function) => [.. Calls.Where(c => c.Function == function)];

    public void Record(string function, QueueMessage message) =>
        Calls.Enqueue(new PumpCall(function, message.MessageId, message.DequeueCount, message.MessageText, message.Body.ToArray(), message.PopReceipt));

    public void Record(string function, string text, byte[] body) =>
        Calls.Enqueue(new PumpCall(function, null, null, text, body, null));

    public void Enter()
    {
        var now = Interlocked.Increment(ref _running);
        int max;
        while (now > (max = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, max) != max)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _running);
}

public sealed record PumpCall(string Function, string? MessageId, long? DequeueCount, string Text, byte[] Body, string? PopReceipt);

public sealed class PumpSucceeds(PumpRecorder recorder)
{
    public const string Name = "PumpSucceeds";
    public const string Setting = "PumpSucceedsQueue";

    [Function(Name)]
    public Task Run([QueueTrigger("%" + Setting + "%", Connection = "Storage")] QueueMessage message, CancellationToken ct)
    {
        recorder.Record(Name, message);
        return Task.CompletedTask;
    }
}

/// <summary>The other trigger types, one function each; the bytes one names its setting the environment-variable way.</summary>
public sealed class PumpBindings(PumpRecorder recorder)
{
    public const string Text = "PumpText", Binary = "PumpBinary", Bytes = "PumpBytes";
    public const string TextSetting = "PumpTextQueue", BinarySetting = "PumpBinaryQueue";
    /// <summary>Written with "__" in the trigger, found as "PumpTest:Bytes" in configuration.</summary>
    public const string BytesSetting = "PumpTest__Bytes";

    [Function(Text)]
    public void RunText([QueueTrigger("%" + TextSetting + "%", Connection = "Storage")] string text) =>
        recorder.Record(Text, text, System.Text.Encoding.UTF8.GetBytes(text));

    [Function(Binary)]
    public ValueTask RunBinary([QueueTrigger("%" + BinarySetting + "%", Connection = "Storage")] BinaryData body, CancellationToken ct)
    {
        recorder.Record(Binary, body.ToString(), body.ToArray());
        return ValueTask.CompletedTask;
    }

    [Function(Bytes)]
    public Task RunBytes([QueueTrigger("%" + BytesSetting + "%", Connection = "Storage")] byte[] body, CancellationToken ct)
    {
        recorder.Record(Bytes, System.Text.Encoding.UTF8.GetString(body), body);
        return Task.CompletedTask;
    }
}

public sealed class PumpAlwaysFails(PumpRecorder recorder)
{
    public const string Name = "PumpAlwaysFails";
    public const string Setting = "PumpAlwaysFailsQueue";

    [Function(Name)]
    public Task Run([QueueTrigger("%" + Setting + "%", Connection = "Storage")] QueueMessage message, CancellationToken ct)
    {
        recorder.Record(Name, message);
        throw new InvalidOperationException($"{Name} always fails (attempt {message.DequeueCount})");
    }
}

public sealed class PumpFailsOnce(PumpRecorder recorder)
{
    public const string Name = "PumpFailsOnce";
    public const string Setting = "PumpFailsOnceQueue";

    [Function(Name)]
    public async Task Run([QueueTrigger("%" + Setting + "%", Connection = "Storage")] QueueMessage message, CancellationToken ct)
    {
        recorder.Record(Name, message);
        await Task.Yield();
        if (message.DequeueCount == 1)
            throw new TimeoutException("transient: the first attempt fails");
        recorder.Completed.Enqueue(message.MessageId);
    }
}

/// <summary>Waits for the recorder's gate (or the host's cancellation).</summary>
public sealed class PumpBlocks(PumpRecorder recorder)
{
    public const string Name = "PumpBlocks";
    public const string Setting = "PumpBlocksQueue";

    [Function(Name)]
    public async Task Run([QueueTrigger("%" + Setting + "%", Connection = "Storage")] QueueMessage message, CancellationToken ct)
    {
        recorder.Record(Name, message);
        recorder.Enter();
        try
        {
            await recorder.Gate.Task.WaitAsync(ct);
            recorder.Completed.Enqueue(message.MessageId);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            recorder.Cancelled.Enqueue(message.MessageId);
            throw;
        }
        finally
        {
            recorder.Exit();
        }
    }
}

/// <summary>Works longer than the message lease of the test settings.</summary>
public sealed class PumpSlow(PumpRecorder recorder)
{
    public const string Name = "PumpSlow";
    public const string Setting = "PumpSlowQueue";

    [Function(Name)]
    public async Task Run([QueueTrigger("%" + Setting + "%", Connection = "Storage")] QueueMessage message, CancellationToken ct)
    {
        recorder.Record(Name, message);
        await Task.Delay(recorder.SlowFor, ct);
        recorder.Completed.Enqueue(message.MessageId);
    }
}

/// <summary>A literal (mixed-case) queue name: the host lower-cases it.</summary>
public sealed class PumpLiteral
{
    public const string Name = "PumpLiteral";

    [Function(Name)]
    public static void Run([QueueTrigger("Pump-Literal-Queue")] string text)
    {
    }
}

public sealed class PumpUnresolved
{
    public const string Name = "PumpUnresolved";
    public const string Setting = "PumpNoSuchSetting";

    [Function(Name)]
    public static void Run([QueueTrigger("%" + Setting + "%", Connection = "Storage")] string text)
    {
    }
}

public sealed record PumpPayload(string Value);

public sealed class PumpUnsupportedParameter
{
    public const string Name = "PumpUnsupportedParameter";

    [Function(Name)]
    public static void Run([QueueTrigger("pump-unsupported", Connection = "Storage")] PumpPayload payload)
    {
    }
}

public sealed class PumpUnsupportedExtraParameter
{
    public const string Name = "PumpUnsupportedExtraParameter";

    [Function(Name)]
    public static void Run([QueueTrigger("pump-unsupported", Connection = "Storage")] string text, FunctionContext context)
    {
    }
}

/// <summary>Keeps the local host's log entries so tests can check what a failure logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((category, logLevel, formatter(state, exception), exception));
    }
}
