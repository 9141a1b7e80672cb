using Caldera.Storage;
using Microsoft.Extensions.Logging;

namespace Caldera.Calendars.Accounts;

/// <summary>
/// Slows down password guessing: counts failed sign-ins per (user, client address) and per client address in fixed
/// windows, and says when a next attempt must wait. Callers ask <see cref="RetryAfter"/> before verifying a password,
/// so a throttled attempt costs no storage read and no PBKDF2. A user's other devices (other addresses) are never
/// blocked by failures from one address. State is per instance and bounded (<see cref="SignInThrottleOptions.MaxTrackedKeys"/>);
/// with N instances a guesser gets up to N times the budget.
/// </summary>
public sealed class SignInThrottle(SignInThrottleOptions options, TimeProvider time, ILogger<SignInThrottle>? log = null)
{
    readonly Lock _gate = new();
    readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);
    long _window = long.MinValue;
    bool _fullLogged;

    long WindowMilliseconds => Math.Max(1, options.WindowSeconds) * 1000L;

    /// <summary>Null when an attempt may be verified; otherwise how long the client must wait.</summary>
    public TimeSpan? RetryAfter(string user, string address)
    {
        lock (_gate)
        {
            var now = Advance();
            if (Count(AddressKey(address)) < options.FailuresPerAddress && Count(PairKey(user, address)) < options.FailuresPerUserAndAddress)
                return null;
            return TimeSpan.FromMilliseconds((_window + 1) * WindowMilliseconds - now);
        }
    }

    public void RecordFailure(string user, string address)
    {
        lock (_gate)
        {
            Advance();
            Increment(AddressKey(address));
            Increment(PairKey(user, address));
        }
    }

    /// <summary>A success clears the user's count from that address only; the address's count (other users) stays.</summary>
    public void RecordSuccess(string user, string address)
    {
        lock (_gate)
        {
            Advance();
            _failures.Remove(PairKey(user, address));
        }
    }

    /// <summary>
    /// One sign-in attempt as every sign-in path makes it: refused unless the limits allow it (then
    /// <paramref name="verify"/> is not called, so no storage read and no hash), else verified and counted (a null
    /// result is a failure). Throttled, the result is null and <c>RetryAfterSeconds</c> says how long to wait (at least 1).
    /// </summary>
    public async Task<(T? Result, int? RetryAfterSeconds)> AttemptAsync<T>(string user, string address, Func<Task<T?>> verify)
        where T : class
    {
        if (RetryAfter(user, address) is { } wait)
            return (null, (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
        var result = await verify();
        if (result is null)
            RecordFailure(user, address);
        else
            RecordSuccess(user, address);
        return (result, null);
    }

    /// <summary>How many counters are kept now (for tests of the bound).</summary>
    public int TrackedKeys
    {
        get { lock (_gate) return _failures.Count; }
    }

    /// <summary>Starts a new window when the clock has passed the current one; returns now in Unix milliseconds.</summary>
    long Advance()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = now / WindowMilliseconds;
        if (window != _window)
        {
            _window = window;
            _failures.Clear();
            _fullLogged = false;
        }
        return now;
    }

    int Count(string key) => _failures.GetValueOrDefault(key);

    void Increment(string key)
    {
        if (_failures.TryGetValue(key, out var count))
            _failures[key] = count + 1;
        else if (_failures.Count < options.MaxTrackedKeys)
            _failures[key] = 1;
        else if (!_fullLogged)
        {
            _fullLogged = true;
            log?.LogWarning("Sign-in throttle is full ({Count} counters): new client addresses go uncounted until the window ends", _failures.Count);
        }
    }

    static string AddressKey(string address) => "a " + address;

    // User names past the valid length cannot sign in; counting them under one name keeps keys small.
    static string PairKey(string user, string address) =>
        "u " + (Names.IsValidUserName(user) ? user : "(invalid)") + " " + address;
}
