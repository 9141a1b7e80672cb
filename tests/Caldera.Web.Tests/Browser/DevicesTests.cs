using System.Net;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// An app password made in the page works in a real CalDAV client (python-caldav), and once revoked in the page
/// that client and plain CalDAV are refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DevicesTests(WebServerFixture server, BrowserFixture browser)
{
    // Carol: the refused attempts below count against her sign-in budget, not alice's.
    const string Carol = WebServerFixture.Carol;

    [Fact]
    public async Task An_app_password_works_in_python_caldav_until_it_is_revoked()
    {
        var label = $"Phone {Dav.Unique()}";
        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Carol);
        await GoToAsync(page, "Devices");

        await Textbox(page, "Device name").FillAsync(label);
        await Button(page, "Create app password").ClickAsync();
        var shown = page.GetByTestId("new-password");
        await Expect(shown).ToBeVisibleAsync();
        var password = (await shown.TextContentAsync())?.Trim();
        Assert.False(string.IsNullOrEmpty(password));
        Assert.NotEqual(server.PasswordOf(Carol), password);
        var row = page.Locator("tr[data-password-id]").Filter(new() { HasText = label });
        await Expect(row).ToBeVisibleAsync();

        var before = await PythonCaldav.ListCalendarsAsync(server.BaseUri, Carol, password!);
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains(Dav.CalendarPath(Carol, "default"), before.Output);

        await Button(row, "Revoke").ClickAsync();
        await DialogButton(page, "Revoke password").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        // The session signed in with another password lives on.
        await Expect(Nav(page)).ToBeVisibleAsync();

        var after = await PythonCaldav.ListCalendarsAsync(server.BaseUri, Carol, password!);
        Assert.True(after.ExitCode == PythonCaldav.Unauthorized, after.ToString());
        using var dav = server.CreateDavClient(Carol, password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Dav.PropfindAsync(dav, Dav.CalendarPath(Carol, "default"))).Status);
    }
}
