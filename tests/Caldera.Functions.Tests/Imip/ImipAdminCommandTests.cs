using static Caldera.Functions.Tests.Dav.DavHelpers;
using static Caldera.Functions.Tests.Imip.MailBuilder;

namespace Caldera.Functions.Tests.Imip;

/// <summary>The admin command lists status rows through the management API.</summary>
[Collection(ImipServerCollection.Name)]
public sealed class ImipAdminCommandTests(ImipServerFixture server)
{
    async Task<(int Code, string Out)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new Dictionary<string, string?> { ["CALDERA_URL"] = server.Server.BaseUri.ToString(), ["CALDERA_FUNCTION_KEY"] = server.Server.FunctionKey };
        var code = await Caldera.Admin.AdminCommand.RunAsync(args, output, error, n => env.GetValueOrDefault(n), CancellationToken.None);
        return (code, output.ToString() + error);
    }

    [Fact]
    public async Task Imip_list_and_unknown_show_status_rows()
    {
        var known = await server.DeliverAsync(Build("organizer@example.com", "bob@example.org", "REQUEST",
            Itip("REQUEST", Invite(Unique("admin"), attendees: ["PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"]))), "bob@example.org", "bob");
        var (code, text) = await RunAsync("imip", "list", "bob");
        Assert.Equal(0, code);
        Assert.Contains($"{known.Id}\tapplied\tREQUEST\torganizer@example.com", text);

        var unknownId = await server.PostAsync(Build("organizer@example.com", "ghost@example.com", "REQUEST", Itip("REQUEST", Invite(Unique("ghost")))), "ghost@example.com");
        await server.WaitAsync(null, unknownId);
        (code, text) = await RunAsync("imip", "unknown");
        Assert.Equal(0, code);
        Assert.Contains($"{unknownId}\tunknown-recipient", text);
        Assert.Equal(1, (await RunAsync("imip", "list", "nosuchuser")).Code);
    }
}
