using Caldera.Calendars.Accounts;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Registry;

namespace Caldera.Calendars.Tests;

public class AppPasswordsTests
{
    [Fact]
    public void GeneratedPasswordsAre32CharactersFromTheAlphabet()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        var seen = new HashSet<string>();
        for (int i = 0; i < 50; i++)
        {
            var password = AppPasswords.Generate();
            Assert.Equal(32, password.Length);
            Assert.All(password, c => Assert.Contains(c, alphabet));
            Assert.True(seen.Add(password), "a password repeated");
        }
        // Look-alikes are excluded.
        Assert.DoesNotContain('l', alphabet);
        Assert.DoesNotContain('o', alphabet);
        Assert.DoesNotContain('0', alphabet);
        Assert.DoesNotContain('1', alphabet);
    }

    [Fact]
    public void IdsAre12LowercaseHexCharacters()
    {
        var id = AppPasswords.NewId();
        Assert.Matches("^[0-9a-f]{12}$", id);
        Assert.NotEqual(id, AppPasswords.NewId());
    }

    [Fact]
    public void HashMatchesItsPassword()
    {
        var password = AppPasswords.Generate();
        var hash = AppPasswords.Hash(password);
        Assert.Equal(32, hash.Length);
        Assert.True(AppPasswords.Matches(password, hash));
        Assert.Equal(hash, AppPasswords.Hash(password));
    }

    [Fact]
    public void OtherPasswordsDoNotMatch()
    {
        var password = AppPasswords.Generate();
        var hash = AppPasswords.Hash(password);
        Assert.False(AppPasswords.Matches(AppPasswords.Generate(), hash));
        Assert.False(AppPasswords.Matches(password.ToUpperInvariant(), hash));
        Assert.False(AppPasswords.Matches(password[..^1], hash));
        Assert.False(AppPasswords.Matches("", hash));
        Assert.False(AppPasswords.Matches(password, []));
        Assert.False(AppPasswords.Matches(password, hash[..16]));
    }

    [Fact]
    public void AChosenPasswordIsSaltedAndStretched()
    {
        const string chosen = "correct horse battery";
        // Few iterations keep the test quick; the format and the check are the same as with ChosenIterations.
        var first = AppPasswords.HashChosen(chosen, iterations: 1000);
        var second = AppPasswords.HashChosen(chosen, iterations: 1000);
        Assert.NotEqual(first, second); // a salt of its own each time
        Assert.NotEqual(AppPasswords.Hash(chosen), first[^32..]);
        Assert.Equal(1000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(first.AsSpan(1, 4)));
        Assert.True(AppPasswords.Matches(chosen, first));
        Assert.True(AppPasswords.Matches(chosen, second));
        Assert.False(AppPasswords.Matches(chosen + "!", first));
        Assert.False(AppPasswords.Matches(chosen.ToUpperInvariant(), first));
        var tampered = (byte[])first.Clone();
        tampered[^1] ^= 1;
        Assert.False(AppPasswords.Matches(chosen, tampered));
    }

    [Fact]
    public void AChosenPasswordHashedBeforeStretchingStillMatches()
    {
        const string chosen = "an older chosen password";
        Assert.True(AppPasswords.Matches(chosen, AppPasswords.Hash(chosen)));
    }

    [Fact]
    public void TheDefaultStretchIsOwaspsFigure()
    {
        var hash = AppPasswords.HashChosen("a-chosen-password");
        Assert.Equal(600_000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(1, 4)));
        Assert.True(AppPasswords.Matches("a-chosen-password", hash));
    }
}

public class StoreSyncTokenTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    public void RoundTrips(long revision)
    {
        var token = StoreSyncToken.Format("cal-123", revision);
        Assert.StartsWith("urn:x-caldera:sync:", token);
        Assert.True(Uri.IsWellFormedUriString(token, UriKind.Absolute), "RFC 6578 sync tokens are URIs");
        Assert.True(StoreSyncToken.TryParse(token, "cal-123", out var parsed));
        Assert.Equal(revision, parsed);
    }

    [Fact]
    public void TokenOfAnotherCalendarIsRefused()
    {
        var token = StoreSyncToken.Format("cal-123", 7);
        Assert.False(StoreSyncToken.TryParse(token, "cal-124", out _));
        Assert.False(StoreSyncToken.TryParse(token, "cal-12", out _));
        Assert.False(StoreSyncToken.TryParse(token, "cal-1234", out _));
        Assert.False(StoreSyncToken.TryParse(token, "CAL-123", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("urn:x-caldera:sync:")]
    [InlineData("urn:x-caldera:sync:cal-123")]
    [InlineData("urn:x-caldera:sync:cal-123:")]
    [InlineData("urn:x-caldera:sync:cal-123:abc")]
    [InlineData("urn:x-caldera:sync:cal-123:-1")]
    [InlineData("urn:x-caldera:sync:cal-123:+1")]
    [InlineData("urn:x-caldera:sync:cal-123: 1")]
    [InlineData("urn:x-caldera:sync:cal-123:1.5")]
    [InlineData("urn:x-caldera:sync:cal-123:99999999999999999999")]
    [InlineData("URN:X-CALDERA:SYNC:cal-123:1")]
    [InlineData("http://example.com/sync/cal-123:1")]
    public void GarbageIsRefused(string token)
    {
        Assert.False(StoreSyncToken.TryParse(token, "cal-123", out var revision));
        Assert.Equal(0, revision);
    }
}

public class CalendarHomeNamingTests
{
    [Fact]
    public void StoreCalendarsKeepTheirNames()
    {
        Assert.Equal("work", CalendarHome.SegmentFor(StoreCalendarProvider.Id, "work"));
        Assert.Equal("work", CalendarHome.SegmentFor(StoreCalendarProvider.Id.ToUpperInvariant(), "work"));
    }

    [Fact]
    public void OtherProvidersAreAppGenerated()
    {
        Assert.Equal("app-generated--holidays--de", CalendarHome.SegmentFor("holidays", "de"));
        Assert.Equal("app-generated--weather--a--b", CalendarHome.SegmentFor("weather", "a--b"));
    }

    [Theory]
    [InlineData("work", true)]
    [InlineData("app-generated", true)]
    [InlineData("app-generated-x", true)]
    [InlineData("my-app-generated--x", true)]
    [InlineData("app-generated--x", false)]
    [InlineData("App-Generated--holidays--de", false)]
    [InlineData("APP-GENERATED--", false)]
    public void CreatableNamesCannotLookLikeAProvidersCalendar(string name, bool creatable)
    {
        Assert.Equal(creatable, CalendarHome.IsCreatableName(name));
    }

    [Fact]
    public void AppGeneratedSegmentsAreNeverCreatable()
    {
        Assert.False(CalendarHome.IsCreatableName(CalendarHome.SegmentFor("holidays", "de")));
        Assert.True(CalendarHome.IsCreatableName(CalendarHome.SegmentFor(StoreCalendarProvider.Id, "de")));
    }
}
