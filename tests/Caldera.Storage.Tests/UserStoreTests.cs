using Caldera.Storage.Tests.Infrastructure;

namespace Caldera.Storage.Tests;

public class UserStoreTests(AzuriteFixture fixture) : StorageTest(fixture)
{
    static readonly DateTimeOffset Created = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Users_are_created_once_read_listed_and_deleted()
    {
        Assert.True(await S.Users.CreateUserAsync(new UserRecord("bob", "Bob B", "bob@example.org", Created), Ct));
        Assert.False(await S.Users.CreateUserAsync(new UserRecord("bob", "Other", "x@example.org", Created), Ct));
        Assert.True(await S.Users.CreateUserAsync(new UserRecord("carol", "Carol", "carol@example.org", Created), Ct));

        var bob = await S.Users.GetUserAsync("bob", Ct);
        Assert.Equal(new UserRecord("bob", "Bob B", "bob@example.org", Created), bob);
        Assert.Null(await S.Users.GetUserAsync("nobody", Ct));
        Assert.Equal(["bob", "carol"], (await S.Users.ListUsersAsync(Ct)).Select(u => u.UserName).Order());

        Assert.True(await S.Users.DeleteUserAsync("bob", Ct));
        Assert.False(await S.Users.DeleteUserAsync("bob", Ct));
        Assert.Null(await S.Users.GetUserAsync("bob", Ct));
        Assert.Equal(["carol"], (await S.Users.ListUsersAsync(Ct)).Select(u => u.UserName));
    }

    [Fact]
    public async Task Passwords_are_stored_as_given_and_go_with_their_user()
    {
        Assert.True(await S.Users.CreateUserAsync(new UserRecord("bob", "Bob", "bob@example.org", Created), Ct));
        byte[] hash1 = [1, 2, 3, 255], hash2 = [9, 8, 7];
        await S.Users.AddPasswordAsync(new AppPasswordRecord("bob", "phone", "My phone", hash1, Created), Ct);
        await S.Users.AddPasswordAsync(new AppPasswordRecord("bob", "odd/id#?", "Laptop", hash2, Created), Ct);

        var phone = await S.Users.GetPasswordAsync("bob", "phone", Ct);
        Assert.NotNull(phone);
        Assert.Equal(("phone", "My phone", Created), (phone.Id, phone.Label, phone.Created));
        Assert.Equal(hash1, phone.Hash);
        Assert.Equal(hash2, (await S.Users.GetPasswordAsync("bob", "odd/id#?", Ct))!.Hash);
        Assert.Null(await S.Users.GetPasswordAsync("bob", "tablet", Ct));
        Assert.Equal(["odd/id#?", "phone"], (await S.Users.ListPasswordsAsync("bob", Ct)).Select(p => p.Id).Order());

        Assert.True(await S.Users.DeletePasswordAsync("bob", "phone", Ct));
        Assert.False(await S.Users.DeletePasswordAsync("bob", "phone", Ct));
        Assert.Equal(["odd/id#?"], (await S.Users.ListPasswordsAsync("bob", Ct)).Select(p => p.Id));

        Assert.True(await S.Users.DeleteUserAsync("bob", Ct));
        Assert.Empty(await S.Users.ListPasswordsAsync("bob", Ct));
    }

    [Fact]
    public async Task Users_are_found_by_email_address_case_insensitively()
    {
        Assert.True(await S.Users.CreateUserAsync(new UserRecord("dora", "Dora", "Dora.Explorer@Example.org", Created), Ct));
        Assert.True(await S.Users.CreateUserAsync(new UserRecord("profile", "A user named like the profile row", "p@example.org", Created), Ct));
        Assert.Equal(["dora"], await S.Users.FindUsersByAddressAsync("dora.explorer@example.ORG", Ct));
        Assert.Empty(await S.Users.FindUsersByAddressAsync("nobody@example.org", Ct));
        // address rows never show up as users, whatever the user is called
        Assert.Equal(["dora", "profile"], (await S.Users.ListUsersAsync(Ct)).Select(u => u.UserName).Order());

        // a user from before the index (no address row) becomes findable when indexed
        await foreach (var row in S.UsersTable.QueryAsync<Azure.Data.Tables.TableEntity>(e => e.RowKey == "u|dora"))
            await S.UsersTable.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        Assert.Empty(await S.Users.FindUsersByAddressAsync("dora.explorer@example.org", Ct));
        await S.Users.IndexAddressAsync((await S.Users.GetUserAsync("dora", Ct))!, Ct);
        Assert.Equal(["dora"], await S.Users.FindUsersByAddressAsync("DORA.EXPLORER@example.org", Ct));

        Assert.True(await S.Users.DeleteUserAsync("dora", Ct));
        Assert.Empty(await S.Users.FindUsersByAddressAsync("dora.explorer@example.org", Ct));
    }

    [Fact]
    public async Task Invalid_user_names_never_reach_storage()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => S.Users.GetUserAsync("../x", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => S.Calendars.ListCalendarsAsync("Bad Name", Ct));
    }
}
