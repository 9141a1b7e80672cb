using Caldera.Calendars.Accounts;
using Microsoft.Extensions.Time.Testing;

namespace Caldera.Calendars.Tests;

/// <summary>The failed-sign-in counter on its own, with a fake clock (no sleeping).</summary>
public sealed class SignInThrottleTests
{
    static readonly SignInThrottleOptions Small = new() { FailuresPerUserAndAddress = 3, FailuresPerAddress = 5, WindowSeconds = 60, MaxTrackedKeys = 100 };

    // 10:00:10 UTC: 50 s left in the current one-minute window.
    static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 11, 30, 10, 0, 10, TimeSpan.Zero));

    [Fact]
    public void A_guesser_is_stopped_after_K_failures_until_the_window_ends()
    {
        var clock = Clock();
        var throttle = new SignInThrottle(Small, clock);
        for (var i = 0; i < Small.FailuresPerUserAndAddress; i++)
        {
            Assert.Null(throttle.RetryAfter("alice", "203.0.113.7"));
            throttle.RecordFailure("alice", "203.0.113.7");
        }
        Assert.Equal(TimeSpan.FromSeconds(50), throttle.RetryAfter("alice", "203.0.113.7"));
        clock.Advance(TimeSpan.FromSeconds(49));
        Assert.Equal(TimeSpan.FromSeconds(1), throttle.RetryAfter("alice", "203.0.113.7"));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(throttle.RetryAfter("alice", "203.0.113.7"));
    }

    [Fact]
    public void Failures_from_one_address_do_not_block_the_user_elsewhere()
    {
        var throttle = new SignInThrottle(Small, Clock());
        for (var i = 0; i < 10; i++)
            throttle.RecordFailure("alice", "203.0.113.7");
        Assert.NotNull(throttle.RetryAfter("alice", "203.0.113.7"));
        Assert.Null(throttle.RetryAfter("alice", "198.51.100.1"));
    }

    [Fact]
    public void Spraying_many_users_from_one_address_is_stopped_by_the_address_count()
    {
        var throttle = new SignInThrottle(Small, Clock());
        for (var i = 0; i < Small.FailuresPerAddress; i++)
        {
            Assert.Null(throttle.RetryAfter($"user{i}", "203.0.113.7"));
            throttle.RecordFailure($"user{i}", "203.0.113.7");
        }
        Assert.NotNull(throttle.RetryAfter("someone-new", "203.0.113.7"));
        Assert.Null(throttle.RetryAfter("someone-new", "198.51.100.1"));
    }

    [Fact]
    public void A_success_clears_that_users_count_but_not_the_addresses()
    {
        var throttle = new SignInThrottle(Small, Clock());
        for (var i = 0; i < Small.FailuresPerUserAndAddress - 1; i++)
            throttle.RecordFailure("alice", "203.0.113.7");
        throttle.RecordSuccess("alice", "203.0.113.7");
        for (var i = 0; i < Small.FailuresPerUserAndAddress - 1; i++)
            throttle.RecordFailure("alice", "203.0.113.7");
        Assert.Null(throttle.RetryAfter("alice", "203.0.113.7"));
        // 4 failures from the address so far; the 5th (another user) reaches the address limit, success or not.
        throttle.RecordFailure("mallory", "203.0.113.7");
        throttle.RecordSuccess("mallory", "203.0.113.7");
        Assert.NotNull(throttle.RetryAfter("bob", "203.0.113.7"));
    }

    [Fact]
    public void Memory_is_bounded_when_an_attacker_varies_names_and_addresses()
    {
        var throttle = new SignInThrottle(Small, Clock());
        for (var i = 0; i < 10_000; i++)
            throttle.RecordFailure(new string('x', 64) + i, $"10.{i / 65536}.{i / 256 % 256}.{i % 256}");
        Assert.Equal(Small.MaxTrackedKeys, throttle.TrackedKeys);
        // Counters kept before the table filled still count.
        for (var i = 0; i < 10; i++)
            throttle.RecordFailure("early", "10.0.0.0");
        Assert.NotNull(throttle.RetryAfter("early", "10.0.0.0"));
    }

    [Fact]
    public void A_new_window_forgets_everything()
    {
        var clock = Clock();
        var throttle = new SignInThrottle(Small, clock);
        for (var i = 0; i < 50; i++)
            throttle.RecordFailure($"u{i}", $"192.0.2.{i}");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(throttle.RetryAfter("u0", "192.0.2.0"));
        Assert.Equal(0, throttle.TrackedKeys);
    }

    [Fact]
    public async Task An_attempt_counts_its_outcome_and_once_throttled_is_not_verified_at_all()
    {
        var throttle = new SignInThrottle(Small, Clock());
        var verified = 0;
        Task<string?> Wrong() { verified++; return Task.FromResult<string?>(null); }

        for (var i = 0; i < Small.FailuresPerUserAndAddress; i++)
            Assert.Equal((null, null), await throttle.AttemptAsync("alice", "203.0.113.7", Wrong));
        Assert.Equal(Small.FailuresPerUserAndAddress, verified);

        // Throttled: the right password is not even looked at, and the wait is rounded up to whole seconds.
        var (result, retryAfter) = await throttle.AttemptAsync("alice", "203.0.113.7", () => { verified++; return Task.FromResult<string?>("alice"); });
        Assert.Null(result);
        Assert.Equal(50, retryAfter);
        Assert.Equal(Small.FailuresPerUserAndAddress, verified);

        // From another address the user signs in, and that success clears nothing it should not.
        Assert.Equal(("alice", (int?)null), await throttle.AttemptAsync("alice", "198.51.100.1", () => Task.FromResult<string?>("alice")));
        Assert.NotNull(throttle.RetryAfter("alice", "203.0.113.7"));
    }
}
