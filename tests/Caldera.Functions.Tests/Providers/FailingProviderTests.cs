using System.Net;
using Caldera.Calendars;
using Caldera.Calendars.Accounts;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Registry;
using Caldera.LocalHost;
using Caldera.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static Caldera.Functions.Tests.Dav.DavHelpers;
using Caldera.Functions.Tests.Dav;

namespace Caldera.Functions.Tests.Providers;

/// <summary>
/// A provider that throws, and one that hangs past the provider timeout, on a server of their own (test-only
/// providers are not added to the shared fixture): both are left out of the home, their calendars answer 503,
/// and the user's own calendars are unaffected.
/// </summary>
public sealed class FailingProviderTests : IAsyncLifetime
{
    const string User = "carol";
    const string Password = "carol-app-password-1";
    RunningServer? _server;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        _server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = User,
            Password = Password,
            ConfigureServices = services =>
            {
                services.Replace(ServiceDescriptor.Singleton(new CalendarHomeOptions { ProviderTimeout = TimeSpan.FromMilliseconds(500) }));
                services.AddCalendarProvider<ThrowingProvider>();
                services.AddCalendarProvider<HangingProvider>();
            },
        }, timeout.Token);
        var registry = _server.Services.GetRequiredService<IProviderRegistryStore>();
        await registry.UpsertAsync(new ProviderRegistration(User, ThrowingProvider.Id, true, null), timeout.Token);
        await registry.UpsertAsync(new ProviderRegistration(ProviderRegistration.Everyone, HangingProvider.Id, true, null), timeout.Token);
        await registry.UpsertAsync(new ProviderRegistration(User, "no-such-provider", true, "{broken"), timeout.Token);
        _server.Services.GetRequiredService<ProviderRegistry>().Invalidate();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = _server!.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{User}:{Password}")));
        return client;
    }

    [Fact]
    public async Task Failing_providers_are_left_out_and_their_calendars_answer_503()
    {
        using var client = Client();
        await MakeCalendarAsync(client, User, "own");

        var home = await PropfindAsync(client, $"/calendars/{User}/", "1", D + "displayname");
        Assert.Equal(HttpStatusCode.MultiStatus, home.Status);
        var hrefs = home.Responses().Keys.ToList();
        Assert.Contains(CalendarPath(User, "own"), hrefs);
        Assert.DoesNotContain(hrefs, h => h.Contains(CalendarHome.AppPrefix, StringComparison.Ordinal));

        foreach (var appId in new[] { ThrowingProvider.Id, HangingProvider.Id })
        {
            var path = CalendarPath(User, $"app-generated--{appId}--cal");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await PropfindAsync(client, path, "0", D + "displayname")).Status);
            var get = await GetAsync(client, path + "x.ics");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, get.Status);
            Assert.NotNull(get.Headers.RetryAfter); // every 503 says when to come back (DavEngine)
        }
        // an app id nobody provides is simply not there
        Assert.Equal(HttpStatusCode.NotFound, (await PropfindAsync(client, CalendarPath(User, "app-generated--no-such-provider--cal"), "0", D + "displayname")).Status);

        await PutNewAsync(client, CalendarPath(User, "own") + "e.ics", Event("e-uid"));
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, CalendarPath(User, "own") + "e.ics")).Status);
    }

    sealed class ThrowingProvider : ICalendarProvider
    {
        public const string Id = "throws";
        public string AppId => Id;
        public Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct) =>
            throw new InvalidOperationException("provider bug");
        public Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) => throw new InvalidOperationException("provider bug");
        public Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) => throw new InvalidOperationException("provider bug");
    }

    /// <summary>Never answers and ignores cancellation: the home must stop waiting on its own.</summary>
    sealed class HangingProvider : ICalendarProvider
    {
        public const string Id = "hangs";
        public string AppId => Id;
        public async Task<IReadOnlyList<ICalendar>> GetCalendarsAsync(CalendarContext context, IReadOnlyCollection<string>? calendarUris, CancellationToken ct)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None);
            return [];
        }
        public Task<bool> HasCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct) => Task.FromResult(true);
        public async Task<ICalendar?> GetCalendarAsync(CalendarContext context, string calendarUri, CancellationToken ct)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None);
            return null;
        }
    }
}
