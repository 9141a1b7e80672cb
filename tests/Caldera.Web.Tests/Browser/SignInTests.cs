using Microsoft.Playwright;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>Signing in with an app password, a wrong one refused, signing out ends the session on the server too.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(WebServerFixture server, BrowserFixture browser)
{
    [Fact]
    public async Task A_wrong_password_shows_an_alert_and_no_session()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.WebUri.ToString());

        await UserName(page).FillAsync(WebServerFixture.Alice);
        await AppPassword(page).FillAsync("not-the-password-of-alice");
        await Button(page, "Sign in").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).Not.ToBeEmptyAsync();
        await Expect(Nav(page)).ToHaveCountAsync(0);
        Assert.Equal(401, await FetchStatusAsync(page, "/web/api/session"));
    }

    [Fact]
    public async Task Signing_in_shows_the_user_and_signing_out_ends_the_session()
    {
        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, WebServerFixture.Alice);

        await Expect(page.Locator("header")).ToContainTextAsync(WebServerFixture.Alice);
        foreach (var view in Views)
            await Expect(Nav(page).GetByRole(AriaRole.Link, new() { Name = view, Exact = true })).ToBeVisibleAsync();
        Assert.Equal(200, await FetchStatusAsync(page, "/web/api/session"));

        await Button(page, "Sign out").ClickAsync();

        await Expect(Button(page, "Sign in")).ToBeVisibleAsync();
        await Expect(UserName(page)).ToBeVisibleAsync();
        await Expect(Nav(page)).ToHaveCountAsync(0);
        Assert.Equal(401, await FetchStatusAsync(page, "/web/api/session"));
        // The cookie is gone from the browser, not only refused.
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "caldera_session" && c.Value.Length > 0);
    }
}
