using Microsoft.Extensions.DependencyInjection;
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
        Assert.Equal(1, (await RunAsync("user", "reindex", "nosuchuser")).Code);
    }

    [Fact]
    public async Task User_reindex_makes_a_user_without_an_address_row_reachable()
    {
        // As a user created before the address index: its row is gone, so mail for it is unknown.
        var users = server.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>()
            .GetTableClient(server.Services.GetRequiredService<Caldera.Storage.StorageLayout>().UsersTable);
        await foreach (var row in users.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == "u|bob"))
            await users.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        byte[] Mail() => Build("organizer@example.com", "bob@example.org", "REQUEST",
            Itip("REQUEST", Invite(Unique("reidx"), attendees: ["PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"])));
        var lost = await server.WaitAsync(null, await server.PostAsync(Mail(), "bob@example.org"));
        Assert.Equal("unknown-recipient", lost.Status);

        Assert.Equal(0, (await RunAsync("user", "reindex", "bob")).Code);
        var found = await server.DeliverAsync(Mail(), "bob@example.org", "bob");
        Assert.True(found.Status == "applied", found.ToString());
    }
}
