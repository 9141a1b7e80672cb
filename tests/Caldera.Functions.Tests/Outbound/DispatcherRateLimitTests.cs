using Caldera.Imip.Outbound;
using Caldera.Scheduling.Delivery;
using Caldera.Scheduling.Planning;
using Microsoft.Extensions.Logging;

namespace Caldera.Functions.Tests.Outbound;

/// <summary>The scheduling dispatcher over an outbound queue that is over the owner's hourly limit: no retries, one warning.</summary>
public sealed class DispatcherRateLimitTests
{
    [Fact]
    public async Task A_rate_limited_owner_gets_one_warning_naming_them_and_every_message_not_emailed_and_no_retries()
    {
        var outbound = new LimitedOutbound(allowed: 2);
        var log = new ListLogger();
        var dispatcher = new SchedulingDispatcher(null!, outbound, log);
        var recipients = Enumerable.Range(0, 5).Select(i => $"r{i}@example.net").ToArray();
        var messages = recipients.Select(r => new PlannedMessage(r, "alice@example.com", "REQUEST", "uid-1@example.com", "BEGIN:VCALENDAR", "Planning")).ToList();

        await dispatcher.SendAsync(new PendingMessages("alice", messages, new Dictionary<string, string>(), recipients.ToHashSet()));

        // Two queued, the third refused once (not retried), the last two not even asked for.
        Assert.Equal(3, outbound.Calls);
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("alice", warning.Text);
        Assert.Contains("rate-limited", warning.Text);
        Assert.Contains("2 emails per hour", warning.Text);
        Assert.Contains("3 scheduling messages were not emailed", warning.Text);
        foreach (var r in recipients[2..])
            Assert.Contains(r, warning.Text);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Error);
    }

    sealed class LimitedOutbound(int allowed) : IOutboundImip
    {
        public int Calls;

        public Task<OutboundImipReceipt> EnqueueAsync(OutboundImipRequest request, CancellationToken ct)
        {
            if (++Calls > allowed)
                throw new OutboundImipRateLimitedException(request.User, allowed, DateTimeOffset.UtcNow.AddMinutes(10));
            return Task.FromResult(new OutboundImipReceipt(Calls.ToString()));
        }
    }

    sealed class ListLogger : ILogger<SchedulingDispatcher>
    {
        public readonly List<(LogLevel Level, string Text)> Entries = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
