using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Caldera.Admin;

/// <summary>
/// caldera-admin: manages users and app passwords through the management functions (manage/...), so it works
/// the same against the local host and a deployed Functions app.
/// </summary>
public static class AdminCommand
{
    public const int Ok = 0;
    public const int Failed = 1;     // the server refused or could not be reached
    public const int Usage = 2;      // bad command line

    public const string HelpText = """
        Caldera admin: manage users and app passwords over the management API.

        Usage: dotnet run --project functions/Caldera.Admin -- [--url URL] [--key KEY] COMMAND

          --url URL     base URL of Caldera (default: $CALDERA_URL), e.g. http://127.0.0.1:7070/
          --key KEY     function key (default: $CALDERA_FUNCTION_KEY), sent as x-functions-key

        Commands:
          user add NAME [--display-name TEXT] [--email ADDRESS]
          user list
          user get NAME
          user delete NAME
          user reindex NAME                        makes a user from before the iMIP address index findable by email
          password add USER [--label TEXT] [--password PW]   prints the new password once
          password list USER
          password revoke USER ID
          provider list PRINCIPAL                  registry rows for a user (and those for everyone, "*")
          provider set PRINCIPAL APPID [--enabled true|false] [--configuration TEXT]
          provider delete PRINCIPAL APPID
            PRINCIPAL is a user name or '*' (every user). A change applies at once on the instance that
            served it and within 10 seconds (the registry cache) on the others.
          share add OWNER CALENDAR SHAREE [--access read|read-write]   default read
          share remove OWNER CALENDAR SHAREE
          share list OWNER                         the shares OWNER has granted
            A share change applies at the sharee's next request.
          imip list USER                           what became of USER's invitation emails, newest first
          imip unknown                             emails for addresses no user has (recorded, then dropped)
          imip outbound USER [--status S]          invitation emails sent for USER, newest first (S: queued, sent, failed, held)
          imip resend USER [ID]                    sends USER's failed and held emails again (or only ID), same Message-ID

        Exit codes: 0 success, 1 the server refused or could not be reached, 2 bad command line.
        """;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken ct,
        HttpMessageHandler? handler = null)
    {
        string? url = environment("CALDERA_URL");
        string? key = environment("CALDERA_FUNCTION_KEY");
        var positional = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "-h" or "--help" or "help")
            {
                output.WriteLine(HelpText);
                return Ok;
            }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length)
                    return UsageError(error, $"{a} needs a value.");
                var v = args[++i];
                switch (a)
                {
                    case "--url": url = v; break;
                    case "--key": key = v; break;
                    case "--display-name" or "--email" or "--label" or "--password" or "--enabled" or "--configuration" or "--access" or "--status": named[a] = v; break;
                    default: return UsageError(error, $"Unknown option '{a}'.");
                }
                continue;
            }
            positional.Add(a);
        }
        if (positional.Count < 2)
            return UsageError(error, "A command is required.");
        if (string.IsNullOrWhiteSpace(url))
            return UsageError(error, "No URL: pass --url or set CALDERA_URL.");
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUri) ||
            baseUri.Scheme is not ("http" or "https"))
            return UsageError(error, $"'{url}' is not an http(s) URL.");
        if (string.IsNullOrWhiteSpace(key))
            return UsageError(error, "No function key: pass --key or set CALDERA_FUNCTION_KEY.");

        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.BaseAddress = baseUri;
        http.Timeout = TimeSpan.FromSeconds(60);
        http.DefaultRequestHeaders.Add("x-functions-key", key);
        var client = new Client(http, output, error);

        var (noun, verb) = (positional[0], positional[1]);
        var rest = positional.Skip(2).ToList();
        string? Named(string n) => named.TryGetValue(n, out var v) ? v : null;
        try
        {
            return (noun, verb, rest.Count) switch
            {
                ("user", "add", 1) => await client.AddUserAsync(rest[0], Named("--display-name"), Named("--email"), ct),
                ("user", "list", 0) => await client.ListUsersAsync(ct),
                ("user", "get", 1) => await client.GetUserAsync(rest[0], ct),
                ("user", "delete", 1) => await client.DeleteUserAsync(rest[0], ct),
                ("user", "reindex", 1) => await client.ReindexUserAsync(rest[0], ct),
                ("password", "add", 1) => await client.AddPasswordAsync(rest[0], Named("--label"), Named("--password"), ct),
                ("password", "list", 1) => await client.ListPasswordsAsync(rest[0], ct),
                ("password", "revoke", 2) => await client.RevokePasswordAsync(rest[0], rest[1], ct),
                ("provider", "list", 1) => await client.ListProvidersAsync(rest[0], ct),
                ("provider", "set", 2) when Named("--enabled") is null or "true" or "false" =>
                    await client.SetProviderAsync(rest[0], rest[1], Named("--enabled") != "false", Named("--configuration"), ct),
                ("provider", "delete", 2) => await client.DeleteProviderAsync(rest[0], rest[1], ct),
                ("share", "add", 3) when Named("--access") is null or "read" or "read-write" =>
                    await client.AddShareAsync(rest[0], rest[1], rest[2], Named("--access") ?? "read", ct),
                ("share", "remove", 3) => await client.RemoveShareAsync(rest[0], rest[1], rest[2], ct),
                ("share", "list", 1) => await client.ListSharesAsync(rest[0], ct),
                ("imip", "list", 1) => await client.ListImipAsync($"manage/users/{Uri.EscapeDataString(rest[0])}/imip", ct),
                ("imip", "unknown", 0) => await client.ListImipAsync("manage/imip/unknown", ct),
                ("imip", "outbound", 1) => await client.ListOutboundAsync(rest[0], Named("--status"), ct),
                ("imip", "resend", 1) => await client.ResendAsync($"manage/users/{Uri.EscapeDataString(rest[0])}/imip/outbound/resend", ct),
                ("imip", "resend", 2) => await client.ResendAsync(
                    $"manage/users/{Uri.EscapeDataString(rest[0])}/imip/outbound/{Uri.EscapeDataString(rest[1])}/resend", ct),
                _ => UsageError(error, $"Unknown command or wrong arguments: {string.Join(' ', positional)}"),
            };
        }
        catch (HttpRequestException e)
        {
            error.WriteLine($"error: cannot reach {baseUri}: {e.Message}");
            return Failed;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            error.WriteLine($"error: {baseUri} did not answer in time.");
            return Failed;
        }
    }

    static int UsageError(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        error.WriteLine("Use --help for the commands.");
        return Usage;
    }

    sealed record ImipStatus(string Id, DateTimeOffset Received, string Status, string? Method, string? From, string? Uid, string? Code, string? Reason);
    sealed record Outbound(string Id, DateTimeOffset Created, string Status, string Method, string From, string To, string? Uid,
        string MessageId, long Attempts, string? Code, string? Reason);
    sealed record User(string UserName, string DisplayName, string Email, DateTimeOffset Created);
    sealed record Password(string Id, string Label, DateTimeOffset Created);
    sealed record NewPassword(string UserName, string Id, string Label, string Password);
    sealed record ErrorBody(string? Error);
    sealed record Provider(string Principal, string AppId, bool Enabled, string? Configuration);
    sealed record Share(string Owner, string Calendar, string Sharee, string Access);

    sealed class Client(HttpClient http, TextWriter output, TextWriter error)
    {
        static string Seg(string s) => Uri.EscapeDataString(s);

        public async Task<int> AddUserAsync(string name, string? displayName, string? email, CancellationToken ct)
        {
            using var r = await http.PostAsJsonAsync("manage/users", new { userName = name, displayName, email }, Json, ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            var u = await r.Content.ReadFromJsonAsync<User>(Json, ct);
            output.WriteLine($"created user {u?.UserName ?? name}");
            return Ok;
        }

        public async Task<int> ListUsersAsync(CancellationToken ct)
        {
            using var r = await http.GetAsync("manage/users", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            var users = await r.Content.ReadFromJsonAsync<List<User>>(Json, ct) ?? [];
            foreach (var u in users)
                output.WriteLine($"{u.UserName}\t{u.DisplayName}\t{u.Email}\t{u.Created:u}");
            return Ok;
        }

        public async Task<int> GetUserAsync(string name, CancellationToken ct)
        {
            using var r = await http.GetAsync($"manage/users/{Seg(name)}", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            var u = await r.Content.ReadFromJsonAsync<User>(Json, ct);
            output.WriteLine($"{u?.UserName}\t{u?.DisplayName}\t{u?.Email}\t{u?.Created:u}");
            return Ok;
        }

        public async Task<int> DeleteUserAsync(string name, CancellationToken ct)
        {
            using var r = await http.DeleteAsync($"manage/users/{Seg(name)}", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            output.WriteLine($"deleted user {name}");
            return Ok;
        }

        public async Task<int> AddPasswordAsync(string user, string? label, string? password, CancellationToken ct)
        {
            using var r = await http.PostAsJsonAsync($"manage/users/{Seg(user)}/passwords", new { label, password }, Json, ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            var p = await r.Content.ReadFromJsonAsync<NewPassword>(Json, ct)
                ?? throw new HttpRequestException("The server answered without a password.");
            output.WriteLine($"app password '{p.Label}' (id {p.Id}) for {p.UserName}; it is shown only this once:");
            output.WriteLine(p.Password);
            return Ok;
        }

        public async Task<int> ListPasswordsAsync(string user, CancellationToken ct)
        {
            using var r = await http.GetAsync($"manage/users/{Seg(user)}/passwords", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            var list = await r.Content.ReadFromJsonAsync<List<Password>>(Json, ct) ?? [];
            foreach (var p in list)
                output.WriteLine($"{p.Id}\t{p.Label}\t{p.Created:u}");
            return Ok;
        }

        public async Task<int> RevokePasswordAsync(string user, string id, CancellationToken ct)
        {
            using var r = await http.DeleteAsync($"manage/users/{Seg(user)}/passwords/{Seg(id)}", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            output.WriteLine($"revoked app password {id} of {user}");
            return Ok;
        }

        public async Task<int> ListProvidersAsync(string principal, CancellationToken ct)
        {
            using var r = await http.GetAsync($"manage/providers/{Seg(principal)}", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            foreach (var p in await r.Content.ReadFromJsonAsync<List<Provider>>(Json, ct) ?? [])
                output.WriteLine($"{p.Principal}\t{p.AppId}\t{(p.Enabled ? "enabled" : "disabled")}\t{p.Configuration}");
            return Ok;
        }

        public async Task<int> SetProviderAsync(string principal, string appId, bool enabled, string? configuration, CancellationToken ct)
        {
            using var r = await http.PutAsJsonAsync($"manage/providers/{Seg(principal)}/{Seg(appId)}", new { enabled, configuration }, Json, ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            output.WriteLine($"provider {appId} {(enabled ? "enabled" : "disabled")} for {principal}");
            return Ok;
        }

        public async Task<int> DeleteProviderAsync(string principal, string appId, CancellationToken ct)
        {
            using var r = await http.DeleteAsync($"manage/providers/{Seg(principal)}/{Seg(appId)}", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            output.WriteLine($"removed provider {appId} for {principal}");
            return Ok;
        }

        public async Task<int> AddShareAsync(string owner, string calendar, string sharee, string access, CancellationToken ct)
        {
            using var r = await http.PutAsJsonAsync($"manage/users/{Seg(owner)}/calendars/{Seg(calendar)}/shares/{Seg(sharee)}", new { access }, Json, ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            output.WriteLine($"shared {owner}/{calendar} with {sharee} ({access})");
            return Ok;
        }

        public async Task<int> RemoveShareAsync(string owner, string calendar, string sharee, CancellationToken ct)
        {
            using var r = await http.DeleteAsync($"manage/users/{Seg(owner)}/calendars/{Seg(calendar)}/shares/{Seg(sharee)}", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            output.WriteLine($"stopped sharing {owner}/{calendar} with {sharee}");
            return Ok;
        }

        public async Task<int> ListSharesAsync(string owner, CancellationToken ct)
        {
            using var r = await http.GetAsync($"manage/users/{Seg(owner)}/shares", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            foreach (var s in await r.Content.ReadFromJsonAsync<List<Share>>(Json, ct) ?? [])
                output.WriteLine($"{s.Calendar}\t{s.Sharee}\t{s.Access}");
            return Ok;
        }

        public async Task<int> ReindexUserAsync(string user, CancellationToken ct)
        {
            using var r = await http.PostAsync($"manage/users/{Seg(user)}/address-index", null, ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            output.WriteLine($"indexed the address of {user}");
            return Ok;
        }

        public async Task<int> ListImipAsync(string path, CancellationToken ct)
        {
            using var r = await http.GetAsync(path, ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            foreach (var m in await r.Content.ReadFromJsonAsync<List<ImipStatus>>(Json, ct) ?? [])
                output.WriteLine($"{m.Received:u}\t{m.Id}\t{m.Status}\t{m.Method}\t{m.From}\t{m.Uid}\t{m.Code}\t{m.Reason}");
            return Ok;
        }

        public async Task<int> ListOutboundAsync(string user, string? status, CancellationToken ct)
        {
            var query = status is null ? "" : $"?status={Seg(status)}";
            using var r = await http.GetAsync($"manage/users/{Seg(user)}/imip/outbound{query}", ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            foreach (var m in await r.Content.ReadFromJsonAsync<List<Outbound>>(Json, ct) ?? [])
                output.WriteLine($"{m.Created:u}\t{m.Id}\t{m.Status}\t{m.Method}\t{m.From}\t{m.To}\t{m.Uid}\t{m.MessageId}\t{m.Attempts}\t{m.Code}\t{m.Reason}");
            return Ok;
        }

        public async Task<int> ResendAsync(string path, CancellationToken ct)
        {
            using var r = await http.PostAsync(path, null, ct);
            if (!await CheckAsync(r, ct))
                return Failed;
            using var doc = await JsonDocument.ParseAsync(await r.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
            var rows = doc.RootElement.ValueKind == JsonValueKind.Array
                ? doc.RootElement.Deserialize<List<Outbound>>(Json) ?? []
                : [doc.RootElement.Deserialize<Outbound>(Json)!];
            foreach (var m in rows)
                output.WriteLine($"resent {m.Id}\t{m.Method}\t{m.To}\t{m.MessageId}");
            output.WriteLine($"{rows.Count} email(s) queued again");
            return Ok;
        }

        async Task<bool> CheckAsync(HttpResponseMessage r, CancellationToken ct)
        {
            if (r.IsSuccessStatusCode)
                return true;
            string? message = null;
            try
            {
                message = (await r.Content.ReadFromJsonAsync<ErrorBody>(Json, ct))?.Error;
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                // not our JSON error body
            }
            message ??= r.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "the function key was refused (check --key / CALDERA_FUNCTION_KEY)",
                HttpStatusCode.NotFound => "not found (is the URL a Caldera server?)",
                _ => r.ReasonPhrase ?? "request failed",
            };
            error.WriteLine($"error: {(int)r.StatusCode} {message}");
            return false;
        }
    }
}
