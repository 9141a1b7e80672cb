using System.Net;
using Caldera.Calendars.Providers.Subscriptions;

namespace Caldera.Calendars.Tests;

public class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // cloud metadata endpoint
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("2002:7f00:1::")]     // 6to4 of 127.0.0.1
    [InlineData("64:ff9b::a00:1")]    // NAT64 of 10.0.0.1
    public void Refuses_non_public_addresses(string address) =>
        Assert.False(AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("193.0.6.139")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    public void Allows_public_addresses(string address) =>
        Assert.True(AddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task Resolving_loopback_is_refused_unless_allowed()
    {
        var e = await Assert.ThrowsAsync<FeedRefusedException>(() => AddressGuard.ResolveAsync("127.0.0.1", allowPrivate: false, CancellationToken.None));
        Assert.Contains("127.0.0.1", e.Message);
        await Assert.ThrowsAsync<FeedRefusedException>(() => AddressGuard.ResolveAsync("localhost", allowPrivate: false, CancellationToken.None));
        await Assert.ThrowsAsync<FeedRefusedException>(() => AddressGuard.ResolveAsync("[::1]", allowPrivate: false, CancellationToken.None));
        Assert.Equal([IPAddress.Loopback], await AddressGuard.ResolveAsync("127.0.0.1", allowPrivate: true, CancellationToken.None));
    }

    [Fact]
    public async Task Fetcher_refuses_a_loopback_feed_without_connecting()
    {
        using var fetcher = new FeedFetcher(new SubscriptionSettings());
        var outcome = await fetcher.FetchAsync(new Uri("http://127.0.0.1:9/feed.ics"), null, null, CancellationToken.None);
        Assert.False(outcome.HasBody);
        Assert.StartsWith("refused:", outcome.Error);
    }

    [Theory]
    [InlineData("webcal://example.com/cal.ics", "https://example.com/cal.ics")]
    [InlineData("webcal://example.com:8443/cal.ics", "https://example.com:8443/cal.ics")]
    [InlineData("http://example.com/a.ics", "http://example.com/a.ics")]
    [InlineData("https://example.com/a.ics", "https://example.com/a.ics")]
    public void Feed_urls_are_normalized(string given, string expected) =>
        Assert.Equal(expected, FeedDefinition.NormalizeUrl(given).AbsoluteUri);

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/a.ics")]
    [InlineData("/relative.ics")]
    [InlineData("https://user:pw@example.com/a.ics")]
    public void Other_urls_are_refused(string url) =>
        Assert.Throws<FormatException>(() => FeedDefinition.NormalizeUrl(url));

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"feeds\":[{\"url\":\"https://example.com/a.ics\"}]}")]
    [InlineData("{\"feeds\":[{\"uri\":\"a--b\",\"url\":\"https://example.com/a.ics\"}]}")]
    [InlineData("{\"feeds\":[{\"uri\":\"a\",\"url\":\"https://example.com/a.ics\",\"refreshMinutes\":-1}]}")]
    [InlineData("{\"feeds\":[{\"uri\":\"a\",\"url\":\"https://x/a.ics\"},{\"uri\":\"A\",\"url\":\"https://x/b.ics\"}]}")]
    public void Bad_configuration_is_refused(string? configuration) =>
        Assert.Throws<FormatException>(() => FeedDefinition.ParseAll(configuration));

    [Fact]
    public void Configuration_is_read()
    {
        var feeds = FeedDefinition.ParseAll("{\"feeds\":[{\"uri\":\"holidays\",\"url\":\"webcal://example.com/h.ics\",\"name\":\"Holidays\",\"refreshMinutes\":0.5}]}");
        var feed = Assert.Single(feeds);
        Assert.Equal(("holidays", "https://example.com/h.ics", "Holidays", TimeSpan.FromSeconds(30)), (feed.Uri, feed.Url.AbsoluteUri, feed.Name, feed.Refresh));
    }
}
