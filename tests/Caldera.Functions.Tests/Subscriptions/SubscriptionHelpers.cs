using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Registry;
using Caldera.Functions.Tests.Dav;
using Caldera.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Subscriptions;

/// <summary>Users, registry rows and feed bodies for the subscription tests.</summary>
internal static class SubscriptionHelpers
{
    public const string Password = "subscriber-app-password-1";

    public static readonly XName FeedStatus = XName.Get("feed-status", "urn:x-caldera");

    /// <summary>Makes a fresh user with <see cref="Password"/> and returns its name.</summary>
    public static async Task<string> NewUserAsync(IServiceProvider services, string prefix)
    {
        var user = Unique(prefix);
        var accounts = services.GetRequiredService<IAccountService>();
        Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(user, user, null, CancellationToken.None));
        Assert.NotNull(await accounts.CreateAppPasswordAsync(user, "tests", Password, CancellationToken.None));
        return user;
    }

    /// <summary>Upserts the user's <c>ics</c> registry row with these feeds and makes it apply at once.</summary>
    public static async Task SubscribeAsync(IServiceProvider services, string user, params object[] feeds) =>
        await RegisterAsync(services, user, JsonSerializer.Serialize(new { feeds }));

    public static async Task RegisterAsync(IServiceProvider services, string user, string configuration)
    {
        await services.GetRequiredService<IProviderRegistryStore>()
            .UpsertAsync(new ProviderRegistration(user, "ics", true, configuration), CancellationToken.None);
        services.GetRequiredService<ProviderRegistry>().Invalidate();
    }

    public static HttpClient Client(Uri baseUri, string user) => new()
    {
        BaseAddress = baseUri,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{Password}"))) },
    };

    public static string Feed(params string[] components) =>
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Feed tests//EN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Feed\r\n" +
        string.Concat(components) + "END:VCALENDAR\r\n";

    public static string FeedEvent(string uid, string summary, string start, string extra = "") =>
        $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:{start}\r\nDURATION:PT1H\r\nSUMMARY:{summary}\r\n{extra}END:VEVENT\r\n";

    /// <summary>Depth 1 PROPFIND of a calendar: its description and the hrefs of its objects.</summary>
    public static async Task<(string? Description, IReadOnlyList<string> Objects)> ReadCalendarAsync(HttpClient client, string path)
    {
        var response = await PropfindAsync(client, path, "1", D + "getetag", C + "calendar-description", FeedStatus);
        Assert.True((int)response.Status == 207, response.ToString());
        var responses = response.Responses();
        var self = responses[path];
        var description = self.StatusOf(C + "calendar-description") == 200 ? self.Prop(C + "calendar-description").Value : null;
        // The same sentence is the custom property {urn:x-caldera}feed-status.
        Assert.Equal(description, self.Prop(FeedStatus).Value);
        return (description, responses.Keys.Where(k => k != path).Order().ToList());
    }

    public static XElement Find(DavResponse response, string href) =>
        response.Responses().TryGetValue(href, out var r) ? r : throw new Xunit.Sdk.XunitException($"{href} not in {response}");
}
