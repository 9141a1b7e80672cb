using Microsoft.Playwright;
using static Caldera.Web.Tests.Browser.WebPage;
using static Microsoft.Playwright.Assertions;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// Attacker-controlled text (an event SUMMARY written over CalDAV or a share, an iMIP Subject) is shown as text,
/// never run; and the page's Content-Security-Policy refuses inline script even if some markup got through.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class XssTests(WebServerFixture server, BrowserFixture browser)
{
    const string Alice = WebServerFixture.Alice;

    [Fact]
    public async Task Markup_in_an_event_summary_renders_as_text()
    {
        var img = """<img src=x onerror="window.__xss=1">""";
        var script = "<script>window.__xss=3</script>";
        using (var dav = server.CreateDavClient(Alice))
        {
            await Dav.PutAsync(dav, Alice, "default", $"xss-img-{Dav.Unique()}", Ics.Event(Guid.NewGuid().ToString(), img, "20270802T090000Z", "20270802T100000Z"));
            await Dav.PutAsync(dav, Alice, "default", $"xss-script-{Dav.Unique()}", Ics.Event(Guid.NewGuid().ToString(), script, "20270803T090000Z", "20270803T100000Z"));
        }

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await OpenCalendarAsync(page, server, "2027-08-04");

        await Expect(Day(page, "2027-08-02").GetByText(img, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(Day(page, "2027-08-03").GetByText(script, new() { Exact = true })).ToBeVisibleAsync();
        await AssertNothingRanAsync(page);

        await OpenCalendarAsync(page, server, "2027-08-04", "month");
        await Expect(Day(page, "2027-08-02").GetByText(img, new() { Exact = true })).ToBeVisibleAsync();
        await AssertNothingRanAsync(page);
    }

    [Fact]
    public async Task Markup_in_an_invitation_subject_renders_as_text_on_the_invitations_page()
    {
        var subject = """<img src=x onerror="window.__xss=2">""";
        var summary = """<img src=x onerror="window.__xss=4">""";
        var raw = ImipMail.Invitation("alice@example.com", subject, $"imip-xss-{Dav.Unique()}@example.net", summary, "20270902T090000Z", "20270902T100000Z");
        await ImipMail.DeliverAsync(server, raw, "alice@example.com", Alice);

        await using var context = await browser.NewContextAsync();
        var page = await SignInAsync(context, server, Alice);
        await GoToAsync(page, "Invitations");

        var row = page.Locator("tr[data-imip-row]").Filter(new() { HasText = subject });
        await Expect(row.First).ToBeVisibleAsync();
        await Expect(row.First.GetByText(subject, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(row.First).ToContainTextAsync("mallory@example.net");
        await AssertNothingRanAsync(page);

        // The invitation's event (its SUMMARY is markup too) is in the calendar, as text.
        await OpenCalendarAsync(page, server, "2027-09-01");
        await Expect(Day(page, "2027-09-02").GetByText(summary, new() { Exact = true })).ToBeVisibleAsync();
        await AssertNothingRanAsync(page);
    }

    [Fact]
    public async Task The_content_security_policy_blocks_inline_script()
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(server.WebUri.ToString());
        Assert.NotNull(response);
        var csp = await response.HeaderValueAsync("content-security-policy");
        Assert.NotNull(csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        await SignInOnAsync(page, Alice, server.PasswordOf(Alice));

        // Markup that did get into the DOM still may not run: the browser reports the violation instead.
        var violated = await page.EvaluateAsync<string>("""
            () => new Promise(resolve => {
                document.addEventListener('securitypolicyviolation', e => resolve(e.effectiveDirective), { once: true });
                const script = document.createElement('script');
                script.textContent = 'window.__inline = 1';
                document.body.append(script);
                setTimeout(() => resolve('no violation reported'), 5000);
            })
            """);
        Assert.StartsWith("script-src", violated);
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__inline === 'undefined'"));
    }

    static async Task AssertNothingRanAsync(IPage page)
    {
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"), "an injected handler ran");
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.Equal(0, await page.Locator("#calendar script, table script").CountAsync());
    }
}
