using Caldera.Storage.Imip;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Web.Tests.Api;

/// <summary>imip: the user's own invitation status rows, newest first, at most 100.</summary>
[Collection(WebServerCollection.Name)]
public sealed class ImipApiTests(WebServerFixture fixture)
{
    [Fact]
    public async Task Lists_the_user_s_own_rows_newest_first_and_at_most_100()
    {
        using var client = await ApiUsers.SignedInAsync(fixture, "imip");
        using var other = await ApiUsers.SignedInAsync(fixture, "imipother");
        var store = fixture.Services.GetRequiredService<ImipStatusStore>();
        var start = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 105; i++)
            await store.UpsertAsync(new ImipStatusRecord
            {
                User = client.User, Id = $"msg-{i:D3}", Received = start.AddMinutes(i), Recipient = $"{client.User}@example.com",
                Status = i == 104 ? ImipStatus.Quarantined : ImipStatus.Applied, Reason = i == 104 ? "sender-not-organizer <b>" : null,
                From = "organizer@example.org", Subject = $"Invitation {i}", Updated = start.AddMinutes(i),
            }, default);

        var rows = (await client.GetJsonAsync("imip")).AsArray();
        Assert.Equal(100, rows.Count);
        var newest = rows[0]!;
        Assert.Equal("Invitation 104", ApiUsers.Text(newest, "subject"));
        Assert.Equal("organizer@example.org", ApiUsers.Text(newest, "from"));
        Assert.Equal("quarantined", ApiUsers.Text(newest, "status"));
        Assert.Equal("sender-not-organizer <b>", ApiUsers.Text(newest, "reason"));
        Assert.Equal(start.AddMinutes(104), DateTimeOffset.Parse(ApiUsers.Text(newest, "received")));
        Assert.Equal("Invitation 5", ApiUsers.Text(rows[99], "subject"));
        Assert.Empty((await other.GetJsonAsync("imip")).AsArray());
    }
}
