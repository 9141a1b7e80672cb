using Microsoft.Playwright;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// One Playwright driver and one headless Debian chromium (/usr/bin/chromium, installed by tests/run.sh; no browser
/// download) for the whole Browser collection: launching costs ~1.5 s, a context 2-3 s, so tests open a context of
/// their own per user (own cookies) and share the browser.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    IPlaywright? _playwright;
    IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: tests/run.sh installs Debian's chromium (apt-get install chromium)");
        // Pages wait on a server sharing two cores with the test run: give auto-waiting assertions room.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox"], // chromium refuses to run as root with its sandbox
        });
    }

    /// <summary>A fresh context (own cookies and storage) at <paramref name="viewport"/>, in UTC and en-US so dates are stable.</summary>
    public async Task<IBrowserContext> NewContextAsync(Viewport? viewport = null)
    {
        var size = viewport ?? Viewport.Desktop;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = size.Width, Height = size.Height },
            TimezoneId = "UTC",
            Locale = "en-US",
            AcceptDownloads = true,
            IsMobile = size.Mobile,
            HasTouch = size.Mobile,
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The two widths every page must work at.</summary>
public sealed record Viewport(string Name, int Width, int Height, bool Mobile)
{
    public static readonly Viewport Desktop = new("desktop", 1280, 800, false);
    public static readonly Viewport Phone = new("phone", 390, 844, true);
}

/// <summary>
/// The browser tests: a Caldera of their own (so sign-in failures and data here never meet the API tests) and one
/// chromium. Tests in it run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<WebServerFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Web page in chromium";
}
