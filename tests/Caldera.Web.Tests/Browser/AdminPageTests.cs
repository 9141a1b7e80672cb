using System.Net;
using Microsoft.Playwright;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>The admin page with the function key: lists users, creates one (with a first app password that signs in), reindexes and deletes it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPageTests(WebServerFixture server, BrowserFixture browser)
{
    /// <summary>Opens /web/admin and unlocks it with the function key.</summary>
    public static async Task<IPage> OpenAdminAsync(IBrowserContext context, WebServerFixture server)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(server.BaseUri, "/web/admin").ToString());
        // The password field labelled Function key (its form may carry the same name).
        var key = page.Locator("input[type='password']").And(page.GetByLabel("Function key", new() { Exact = true }));
        await Expect(key).ToBeVisibleAsync();
        await key.FillAsync(server.FunctionKey);
        await Button(page, "Open").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 2, Exact = true })).ToBeVisibleAsync();
        return page;
    }

    [Fact]
    public async Task Users_are_listed_created_reindexed_and_deleted()
    {
        await using var context = await browser.NewContextAsync();
        var page = await OpenAdminAsync(context, server);
        Assert.DoesNotContain(server.FunctionKey, page.Url);
        foreach (var existing in new[] { WebServerFixture.Alice, WebServerFixture.Bob, WebServerFixture.Carol })
            await Expect(page.Locator($"tr[data-user='{existing}']")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Providers", Level = 2, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unknown recipients", Level = 2, Exact = true })).ToBeVisibleAsync();

        var user = $"dana{Dav.Unique()}";
        await Textbox(page, "New user name").FillAsync(user);
        await Textbox(page, "Display name").FillAsync("Dana Test");
        await Textbox(page, "Email").FillAsync($"{user}@example.com");
        await Button(page, "Create user").ClickAsync();
        var row = page.Locator($"tr[data-user='{user}']");
        await Expect(row).ToBeVisibleAsync();
        using var manage = server.CreateManagementClient();
        Assert.Equal(HttpStatusCode.OK, (await manage.GetAsync($"manage/users/{user}")).StatusCode);

        // The new user gets a first app password, shown once, and it works for CalDAV at once.
        var first = page.GetByTestId("admin-new-password");
        await Expect(first).ToBeVisibleAsync();
        var password = (await first.TextContentAsync())!.Trim();
        Assert.Matches("^[a-z0-9]{20,}$", password);
        using (var dav = server.CreateDavClient(user, password))
        using (var propfind = await dav.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), $"calendars/{user}/") { Headers = { { "Depth", "0" } } }))
            Assert.Equal(HttpStatusCode.MultiStatus, propfind.StatusCode);
        // Another one from the row's button replaces it on screen; both are listed for the user.
        await Button(row, "App password").ClickAsync();
        await Expect(first).Not.ToHaveTextAsync(password);
        var listed = await manage.GetStringAsync($"manage/users/{user}/passwords");
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(listed).RootElement.GetArrayLength());

        var reindex = await page.RunAndWaitForResponseAsync(() => Button(row, "Reindex").ClickAsync(),
            r => r.Url.EndsWith($"/manage/users/{user}/address-index", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.True(reindex.Ok, $"reindex answered {reindex.Status}");

        await Button(row, "Delete").ClickAsync();
        await DialogButton(page, "Delete user").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await manage.GetAsync($"manage/users/{user}")).StatusCode);
    }
}
