using System.Security.Cryptography;
using Caldera.Calendars.Providers;

namespace Caldera.Calendars.Tests;

/// <summary>An in-memory calendar object that counts body reads; its envelope is set the way the store sets it.</summary>
sealed class FakeObject(string name, byte[] body, ParsedCalendarObject parsed) : ICalendarObject
{
    public int Reads;

    public static FakeObject Of(string text, string name = "x.ics")
    {
        var parsed = Ics.Parse(text);
        return new FakeObject(name, parsed.Body, parsed);
    }

    public byte[] Body => body;
    public ParsedCalendarObject Parsed => parsed;
    public string Name => name;
    /// <summary>From the content, like a feed's: a new body is a new ETag.</summary>
    public string ETag { get; } = "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..16] + "\"";
    public long Size => body.Length;
    public string ContentType => "text/calendar; charset=utf-8";
    public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
    public string Uid => parsed.Uid;
    public string Component => parsed.Component;

    public Task<byte[]?> GetDataAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref Reads);
        return Task.FromResult<byte[]?>(body);
    }

    public ObjectEnvelope? Envelope =>
        parsed is { EnvelopeExact: true, RangeStart: { } s, RangeEnd: { } e } && e > s ? new ObjectEnvelope(s, e) : null;
}

/// <summary>A clock that stays where it is put.</summary>
sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
