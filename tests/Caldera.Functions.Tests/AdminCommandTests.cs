using Caldera.Admin;

namespace Caldera.Functions.Tests;

[Collection(CalderaServerCollection.Name)]
public sealed class AdminCommandTests(CalderaServerFixture server)
{
    async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var env = new Dictionary<string, string?> { ["CALDERA_URL"] = server.BaseUri.ToString(), ["CALDERA_FUNCTION_KEY"] = server.FunctionKey };
        var code = await AdminCommand.RunAsync(args, output, error, n => env.GetValueOrDefault(n), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Users_and_passwords_through_the_admin_command()
    {
        var add = await RunAsync("user", "add", "dave", "--display-name", "Dave D", "--email", "dave@example.com");
        Assert.True(add.Code == AdminCommand.Ok, add.Err);
        Assert.Contains("dave", (await RunAsync("user", "list")).Out);

        var dup = await RunAsync("user", "add", "dave");
        Assert.Equal(AdminCommand.Failed, dup.Code);
        Assert.Contains("409", dup.Err);

        var pw = await RunAsync("password", "add", "dave", "--label", "laptop");
        Assert.Equal(AdminCommand.Ok, pw.Code);
        var lines = pw.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var password = lines[^1];
        Assert.Equal(32, password.Length);

        var list = await RunAsync("password", "list", "dave");
        Assert.Equal(AdminCommand.Ok, list.Code);
        var id = list.Out.Split('\t')[0];
        Assert.Contains("laptop", list.Out);
        Assert.DoesNotContain(password, list.Out);

        Assert.Equal(AdminCommand.Ok, (await RunAsync("password", "revoke", "dave", id)).Code);
        Assert.Equal(AdminCommand.Failed, (await RunAsync("password", "revoke", "dave", id)).Code);
        Assert.Equal(AdminCommand.Ok, (await RunAsync("user", "delete", "dave")).Code);
        Assert.Equal(AdminCommand.Failed, (await RunAsync("user", "get", "dave")).Code);
    }

    [Fact]
    public async Task Provider_registry_through_the_admin_command()
    {
        try
        {
            var set = await RunAsync("provider", "set", "bob", "weeknumbers", "--enabled", "false", "--configuration", "{\"x\":1}");
            Assert.True(set.Code == AdminCommand.Ok, set.Err);
            var list = await RunAsync("provider", "list", "bob");
            Assert.Equal(AdminCommand.Ok, list.Code);
            Assert.Contains("bob\tweeknumbers\tdisabled\t{\"x\":1}", list.Out, StringComparison.Ordinal);
            Assert.Equal(AdminCommand.Usage, (await RunAsync("provider", "set", "bob", "weeknumbers", "--enabled", "maybe")).Code);
            Assert.Equal(AdminCommand.Ok, (await RunAsync("provider", "delete", "bob", "weeknumbers")).Code);
            Assert.Equal(AdminCommand.Failed, (await RunAsync("provider", "delete", "bob", "weeknumbers")).Code);
            Assert.DoesNotContain("weeknumbers", (await RunAsync("provider", "list", "bob")).Out, StringComparison.Ordinal);
        }
        finally
        {
            await RunAsync("provider", "delete", "bob", "weeknumbers");
        }
    }

    [Fact]
    public async Task Shares_through_the_admin_command()
    {
        var calendar = "admshare" + Guid.NewGuid().ToString("N")[..8];
        using (var alice = server.CreateClient(CalderaServerFixture.Alice))
            await Dav.DavHelpers.MakeCalendarAsync(alice, CalderaServerFixture.Alice, calendar);
        var add = await RunAsync("share", "add", "alice", calendar, "bob", "--access", "read-write");
        Assert.Equal(AdminCommand.Ok, add.Code);
        var list = await RunAsync("share", "list", "alice");
        Assert.Contains($"{calendar}\tbob\tread-write", list.Out, StringComparison.Ordinal);
        Assert.Equal(AdminCommand.Usage, (await RunAsync("share", "add", "alice", calendar, "bob", "--access", "all")).Code);
        Assert.Equal(AdminCommand.Ok, (await RunAsync("share", "remove", "alice", calendar, "bob")).Code);
        Assert.Equal(AdminCommand.Failed, (await RunAsync("share", "remove", "alice", calendar, "bob")).Code);
        Assert.DoesNotContain(calendar, (await RunAsync("share", "list", "alice")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_key_and_bad_command_lines_fail_clearly()
    {
        var wrongKey = await RunAsync("--key", "nope", "user", "list");
        Assert.Equal(AdminCommand.Failed, wrongKey.Code);
        Assert.Contains("401", wrongKey.Err);

        Assert.Equal(AdminCommand.Usage, (await RunAsync("user")).Code);
        Assert.Equal(AdminCommand.Usage, (await RunAsync("user", "frobnicate", "x")).Code);
        Assert.Equal(AdminCommand.Usage, (await RunAsync("--url", "ftp://x/", "user", "list")).Code);

        var noUrl = await AdminCommand.RunAsync(["user", "list"], TextWriter.Null, new StringWriter(), _ => null, CancellationToken.None);
        Assert.Equal(AdminCommand.Usage, noUrl);
    }
}
