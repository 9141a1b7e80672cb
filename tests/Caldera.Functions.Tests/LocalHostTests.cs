using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Caldera.Calendars.Accounts;
using Caldera.LocalHost;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests;

[Collection(CalderaServerCollection.Name)]
public sealed class LocalHostTests(CalderaServerFixture server)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Health_is_ok_without_a_key()
    {
        using var client = server.CreateAnonymousClient();
        using var response = await client.GetAsync("healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Server_binds_loopback_only()
    {
        Assert.Equal("127.0.0.1", server.BaseUri.Host);
        Assert.NotEqual(0, server.BaseUri.Port);
        Assert.Equal("/", server.BaseUri.AbsolutePath);
    }

    [Fact]
    public void Mapper_serves_exactly_the_http_functions_of_the_metadata_in_host_order()
    {
        var metadata = FunctionsMetadata.LoadHttpFunctions();
        var mapped = server.Server.Functions;
        Assert.Equal(metadata.Count, mapped.Count);
        Assert.Equal(
            metadata.Select(f => f.Name).Order(StringComparer.OrdinalIgnoreCase),
            mapped.Select(f => f.Name));
        foreach (var m in mapped)
        {
            var f = metadata.Single(x => x.Name == m.Name);
            Assert.Equal(f.Route, m.Route);
            Assert.Equal(f.Methods ?? [], m.Methods ?? []);
            Assert.Equal(f.AuthLevel, m.AuthLevel.ToString(), ignoreCase: true);
        }
    }

    [Theory]
    [InlineData("GET", "manage/users")]
    [InlineData("POST", "manage/users")]
    [InlineData("GET", "manage/users/alice")]
    [InlineData("DELETE", "manage/users/alice")]
    [InlineData("GET", "manage/users/alice/passwords")]
    [InlineData("POST", "manage/users/alice/passwords")]
    [InlineData("DELETE", "manage/users/alice/passwords/x")]
    public async Task Management_without_the_function_key_is_401(string method, string path)
    {
        using var client = server.CreateAnonymousClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { userName = "mallory" }) };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        using var wrong = new HttpRequestMessage(new HttpMethod(method), path);
        wrong.Headers.Add("x-functions-key", server.FunctionKey + "x");
        using var wrongResponse = await client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
    }

    [Fact]
    public async Task Function_key_is_accepted_as_code_query_parameter()
    {
        using var client = server.CreateAnonymousClient();
        using var response = await client.GetAsync($"manage/users?code={Uri.EscapeDataString(server.FunctionKey)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_verb_is_404_as_in_the_host()
    {
        using var client = server.CreateAnonymousClient();
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod("LOCK"), "calendars/alice/"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Users_and_app_passwords_lifecycle()
    {
        using var client = server.CreateManagementClient();
        var accounts = server.Services.GetRequiredService<IAccountService>();

        // create
        using (var created = await client.PostAsJsonAsync("manage/users", new { userName = "carol", displayName = "Carol C.", email = "carol@example.com" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var user = await created.Content.ReadFromJsonAsync<JsonElement>(Json);
            Assert.Equal("carol", user.GetProperty("userName").GetString());
            Assert.Equal("Carol C.", user.GetProperty("displayName").GetString());
        }
        using (var again = await client.PostAsJsonAsync("manage/users", new { userName = "carol" }))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using (var invalid = await client.PostAsJsonAsync("manage/users", new { userName = "Carol/../x" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Contains("Invalid user name", (await invalid.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("error").GetString());
        }
        using (var notJson = await client.PostAsync("manage/users", new StringContent("{not json")))
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        // get and list
        using (var get = await client.GetAsync("manage/users/carol"))
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using (var missing = await client.GetAsync("manage/users/nobody"))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var users = await client.GetFromJsonAsync<JsonElement[]>("manage/users", Json);
        Assert.Contains(users!, u => u.GetProperty("userName").GetString() == "carol");

        // app password: shown once, works, listed without secrets, revoked
        string id, password;
        using (var made = await client.PostAsJsonAsync("manage/users/carol/passwords", new { label = "phone" }))
        {
            Assert.Equal(HttpStatusCode.Created, made.StatusCode);
            var body = await made.Content.ReadFromJsonAsync<JsonElement>(Json);
            id = body.GetProperty("id").GetString()!;
            password = body.GetProperty("password").GetString()!;
            Assert.Equal("phone", body.GetProperty("label").GetString());
        }
        Assert.True(await accounts.VerifyAsync("carol", password, CancellationToken.None));

        var listed = await client.GetStringAsync("manage/users/carol/passwords");
        Assert.Contains(id, listed);
        Assert.DoesNotContain(password, listed);
        Assert.DoesNotContain("hash", listed, StringComparison.OrdinalIgnoreCase);

        // A chosen password is stored salted and stretched (PBKDF2), a generated one as SHA-256.
        using (var chosen = await client.PostAsJsonAsync("manage/users/carol/passwords", new { label = "laptop", password = "carol-chose-this-one" }))
            Assert.Equal(HttpStatusCode.Created, chosen.StatusCode);
        Assert.True(await accounts.VerifyAsync("carol", "carol-chose-this-one", CancellationToken.None));
        var hashes = (await server.Services.GetRequiredService<Caldera.Storage.IUserStore>().ListPasswordsAsync("carol", CancellationToken.None))
            .ToDictionary(p => p.Label, p => p.Hash);
        Assert.Equal(32, hashes["phone"].Length);
        Assert.Equal(53, hashes["laptop"].Length);
        Assert.NotEqual(Caldera.Calendars.Accounts.AppPasswords.Hash("carol-chose-this-one"), hashes["laptop"][^32..]);

        using (var tooShort = await client.PostAsJsonAsync("manage/users/carol/passwords", new { label = "x", password = "short" }))
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        using (var noUser = await client.PostAsJsonAsync("manage/users/nobody/passwords", new { label = "x" }))
            Assert.Equal(HttpStatusCode.NotFound, noUser.StatusCode);
        using (var noUserList = await client.GetAsync("manage/users/nobody/passwords"))
            Assert.Equal(HttpStatusCode.NotFound, noUserList.StatusCode);

        using (var revoked = await client.DeleteAsync($"manage/users/carol/passwords/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        using (var revokedAgain = await client.DeleteAsync($"manage/users/carol/passwords/{id}"))
            Assert.Equal(HttpStatusCode.NotFound, revokedAgain.StatusCode);
        Assert.False(await accounts.VerifyAsync("carol", password, CancellationToken.None));

        // delete
        using (var deleted = await client.DeleteAsync("manage/users/carol"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var deletedAgain = await client.DeleteAsync("manage/users/carol"))
            Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Fact]
    public async Task Start_creates_the_user_once_and_adds_a_new_given_password()
    {
        // A second local host over the fixture's Azurite (no new Azurite), with its own table prefix.
        var prefix = "lh" + Guid.NewGuid().ToString("N")[..8];
        LocalServerOptions Options(string? password) => new()
        {
            Port = 0,
            Storage = server.Server.StorageConnectionString,
            StoragePrefix = prefix,
            User = "starter",
            Password = password,
            FunctionKey = "given-key",
        };

        await using (var first = await CalderaLocalServer.StartAsync(Options(null)))
        {
            Assert.Equal("given-key", first.FunctionKey);
            var setup = Assert.IsType<UserSetup>(first.User);
            Assert.True(setup.UserCreated);
            Assert.Equal(CalderaLocalServer.InitialPasswordLabel, setup.PasswordLabel);
            Assert.False(string.IsNullOrEmpty(setup.Password));
            Assert.True(await first.Services.GetRequiredService<IAccountService>().VerifyAsync("starter", setup.Password!, default));
        }
        await using (var second = await CalderaLocalServer.StartAsync(Options(null)))
        {
            Assert.False(second.User!.UserCreated);
            Assert.Null(second.User.Password); // not known this run
        }
        await using (var third = await CalderaLocalServer.StartAsync(Options("a-chosen-password")))
        {
            Assert.False(third.User!.UserCreated);
            Assert.Equal("a-chosen-password", third.User.Password);
            Assert.Equal(CalderaLocalServer.CommandLinePasswordLabel, third.User.PasswordLabel);
            var accounts = third.Services.GetRequiredService<IAccountService>();
            Assert.True(await accounts.VerifyAsync("starter", "a-chosen-password", default));
            Assert.Equal(2, (await accounts.ListAppPasswordsAsync("starter", default)).Count);
        }
        await using (var fourth = await CalderaLocalServer.StartAsync(Options("a-chosen-password")))
        {
            Assert.Null(fourth.User!.PasswordLabel); // already there: nothing added
            Assert.Equal(2, (await fourth.Services.GetRequiredService<IAccountService>().ListAppPasswordsAsync("starter", default)).Count);
        }
    }
}
