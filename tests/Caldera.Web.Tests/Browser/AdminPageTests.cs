using System.Net;
using Microsoft.Playwright;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>The admin page with the function key: lists users, creates, reindexes and deletes one.</summary>
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

        var reindex = await page.RunAndWaitForResponseAsync(() => Button(row, "Reindex").ClickAsync(),
            r => r.Url.EndsWith($"/manage/users/{user}/address-index", StringComparison.Ordinal) && r.Request.Method == "POST");
        Assert.True(reindex.Ok, $"reindex answered {reindex.Status}");

        await Button(row, "Delete").ClickAsync();
        await DialogButton(page, "Delete user").ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await manage.GetAsync($"manage/users/{user}")).StatusCode);
    }
}
