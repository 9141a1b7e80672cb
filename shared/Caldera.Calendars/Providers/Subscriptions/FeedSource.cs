using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>
/// Serves a feed from its cached copy, re-fetching (conditionally) once the refresh interval has passed. A failed
/// fetch (HTTP error, timeout, refused address, invalid iCalendar) keeps the last good copy and records why.
/// Parsed copies are memoised per instance; the blob is the truth shared between instances.
/// </summary>
public sealed class FeedSource(FeedFetcher fetcher, FeedCache cache, SubscriptionSettings settings, TimeProvider time, ILogger<FeedSource> log)
{
    sealed record Memo(FeedState State, string? ContentHash, IReadOnlyList<FeedObject> Objects);

    readonly ConcurrentDictionary<string, Memo> _memo = new();
    readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public async Task<FeedSnapshot> GetAsync(string owner, FeedDefinition feed, CancellationToken ct)
    {
        var key = KeyFor(owner, feed);
        var refresh = feed.Refresh ?? settings.DefaultRefresh;
        if (_memo.TryGetValue(key, out var memo) && !IsDue(memo.State, refresh))
            return Snapshot(feed, memo);

        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            if (_memo.TryGetValue(key, out memo) && !IsDue(memo.State, refresh))
                return Snapshot(feed, memo);
            var state = await cache.ReadStateAsync(key, ct);
            if (state is null || IsDue(state, refresh))
                state = await RefreshAsync(key, owner, feed, state, ct);
            memo = await LoadAsync(key, state, memo, ct);
            _memo[key] = memo;
            return Snapshot(feed, memo);
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<FeedState> RefreshAsync(string key, string owner, FeedDefinition feed, FeedState? previous, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var hasCopy = previous?.ContentHash is not null;
        var outcome = await fetcher.FetchAsync(feed.Url, hasCopy ? previous!.HttpETag : null, hasCopy ? previous!.HttpLastModified : null, ct);
        string? error = outcome.Error;
        if (outcome.NotModified && hasCopy)
        {
            var state = previous! with { CheckedAt = now, Error = null };
            await cache.SaveStateAsync(key, state, ct);
            return state;
        }
        if (outcome.NotModified)
            error = "the feed answered 304 Not Modified but there is no copy";
        if (outcome.HasBody)
        {
            try
            {
                FeedSplitter.Split(Decode(outcome.Body!));
                var state = new FeedState(outcome.ETag, outcome.LastModified, now, now, Hash(outcome.Body!), null);
                await cache.SaveAsync(key, outcome.Body!, state, ct);
                return state;
            }
            catch (FormatException e)
            {
                error = "the feed is not valid iCalendar: " + e.Message;
            }
        }
        log.LogWarning("ics feed {Feed} of {User} ({Url}) failed: {Error}; keeping the last good copy", feed.Uri, owner, feed.Url, error);
        var failed = (previous ?? new FeedState(null, null, now, null, null, null)) with { CheckedAt = now, Error = error };
        await cache.SaveStateAsync(key, failed, ct);
        return failed;
    }

    async Task<Memo> LoadAsync(string key, FeedState state, Memo? previous, CancellationToken ct)
    {
        if (state.ContentHash is null)
            return new Memo(state, null, []);
        if (previous is not null && previous.ContentHash == state.ContentHash)
            return previous with { State = state };
        var body = await cache.ReadBodyAsync(key, ct);
        if (body is null)
            return new Memo(state, null, []);
        try
        {
            return new Memo(state, state.ContentHash, FeedSplitter.Split(Decode(body)));
        }
        catch (FormatException e)
        {
            log.LogWarning("cached copy of ics feed {Key} is unreadable: {Error}", key, e.Message);
            return new Memo(state with { Error = "the cached copy is unreadable" }, null, []);
        }
    }

    bool IsDue(FeedState state, TimeSpan refresh) => time.GetUtcNow() >= state.CheckedAt + refresh;

    static FeedSnapshot Snapshot(FeedDefinition feed, Memo memo)
    {
        var s = memo.State;
        string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var status = s.Error is null
            ? $"Subscribed to {feed.Url}; last fetched {(s.FetchedAt is { } f ? Time(f) : "never")}, checked {Time(s.CheckedAt)}."
            : $"Feed error at {Time(s.CheckedAt)}: {s.Error}. " +
              (s.FetchedAt is { } g && memo.ContentHash is not null ? $"Showing the last good copy, fetched {Time(g)}." : "No copy of the feed is available.");
        var ctag = "\"" + Hash(Encoding.UTF8.GetBytes((memo.ContentHash ?? "-") + "|" + s.Error))[..32] + "\"";
        return new FeedSnapshot(memo.Objects, status, s.Error is null, ctag, s.FetchedAt);
    }

    static string KeyFor(string owner, FeedDefinition feed) =>
        Hash(Encoding.UTF8.GetBytes(owner + "\n" + feed.Uri + "\n" + feed.Url.AbsoluteUri))[..48] + ".ics";

    static string Decode(byte[] body) => new UTF8Encoding(false).GetString(body).TrimStart('\uFEFF');

    static string Hash(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
