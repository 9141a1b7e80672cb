using Caldera.Calendars.Providers.Subscriptions;

namespace Caldera.Calendars.Tests;

public sealed class FeedDefinitionFormatTests
{
    [Fact]
    public void Formatted_feeds_parse_back_the_same()
    {
        FeedDefinition[] feeds =
        [
            new("holidays", new Uri("https://example.com/h.ics"), "Holidays \"FR\"", TimeSpan.FromMinutes(90)),
            new("team", FeedDefinition.NormalizeUrl("webcal://example.org:8443/t.ics"), null, null),
        ];
        Assert.Equal(feeds, FeedDefinition.ParseAll(FeedDefinition.FormatAll(feeds)));
        Assert.Empty(FeedDefinition.ParseAll(FeedDefinition.FormatAll([])));
    }
}
