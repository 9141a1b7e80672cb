using Microsoft.Playwright;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>A smoke test of the basics: the page works by keyboard alone, and every field on every view is labelled.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(WebServerFixture server, BrowserFixture browser)
{
    const string Alice = WebServerFixture.Alice;

    /// <summary>Visible form fields with no accessible name (no label, aria-label, aria-labelledby or title), as HTML snippets.</summary>
    const string UnlabelledFields = """
        () => [...document.querySelectorAll('input, select, textarea')]
            .filter(e => e.type !== 'hidden' && e.getClientRects().length > 0)
            .filter(e => ![...(e.labels ?? [])].some(l => l.textContent.trim() !== '')
                && !(e.getAttribute('aria-label') ?? '').trim()
                && !e.getAttribute('aria-labelledby')
                && !(e.getAttribute('title') ?? '').trim())
            .map(e => e.outerHTML.slice(0, 160))
        """;

    [Fact]
    public async Task Signing_in_works_with_the_keyboard_alone()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.WebUri.ToString());
        await Expect(UserName(page)).ToBeVisibleAsync();

        await TabToAsync(page, UserName(page));
        await page.Keyboard.TypeAsync(Alice);
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await IsFocusedAsync(AppPassword(page)), "Tab from User name does not reach App password");
        await page.Keyboard.TypeAsync(server.PasswordOf(Alice));
        await page.Keyboard.PressAsync("Enter");

        await Expect(Nav(page)).ToBeVisibleAsync();
        // And on into a view by keyboard: Tab to the Calendars link, Enter.
        var link = Nav(page).GetByRole(AriaRole.Link, new() { Name = "Calendars", Exact = true });
        await TabToAsync(page, link);
        await page.Keyboard.PressAsync("Enter");
        await Expect(Heading(page, "Calendars")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Every_field_on_every_view_has_an_accessible_name()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.WebUri.ToString());
        await Expect(UserName(page)).ToBeVisibleAsync();
        var missing = new List<string>();
        missing.AddRange((await page.EvaluateAsync<string[]>(UnlabelledFields)).Select(f => $"sign-in: {f}"));

        await SignInOnAsync(page, Alice, server.PasswordOf(Alice));
        foreach (var view in Views)
        {
            await GoToAsync(page, view);
            missing.AddRange((await page.EvaluateAsync<string[]>(UnlabelledFields)).Select(f => $"{view}: {f}"));
        }
        // The Calendars view's rename form appears on demand.
        await GoToAsync(page, "Calendars");
        var card = page.Locator("article[data-calendar-id='default']");
        await Button(card, "Rename").ClickAsync();
        await Expect(Textbox(card, "Name")).ToBeVisibleAsync();
        missing.AddRange((await page.EvaluateAsync<string[]>(UnlabelledFields)).Select(f => $"Calendars (rename): {f}"));

        var admin = await AdminPageTests.OpenAdminAsync(context, server);
        missing.AddRange((await admin.EvaluateAsync<string[]>(UnlabelledFields)).Select(f => $"admin: {f}"));

        Assert.True(missing.Count == 0, "fields without an accessible name:\n" + string.Join("\n", missing));
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (at most 40 times).</summary>
    static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 40; i++)
        {
            if (await IsFocusedAsync(target))
                return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"Tab never reached {target}");
    }

    static Task<bool> IsFocusedAsync(ILocator target) => target.EvaluateAsync<bool>("e => e === document.activeElement");
}
