using Caldera.Calendars.Accounts;

namespace Caldera.Web.Api;

/// <summary>passwords: the user's app passwords (one per device): listed, made (clear text shown once), revoked.</summary>
public sealed class PasswordEndpoints(IAccountService accounts, WebSessions sessions, TimeProvider time) : IApiEndpoints
{
    public IEnumerable<ApiRoute> Routes =>
    [
        new("GET", "passwords", ListAsync),
        new("POST", "passwords", CreateAsync),
        new("DELETE", "passwords/{}", RevokeAsync),
    ];

    sealed record PasswordBody(string? Label);

    async Task ListAsync(ApiContext ctx)
    {
        var passwords = await accounts.ListAppPasswordsAsync(ctx.User, ctx.Cancellation);
        await ApiJson.OkAsync(ctx, passwords.OrderBy(p => p.Created)
            .Select(p => new { id = p.Id, label = p.Label, created = p.Created, current = p.Id == ctx.Session.PasswordId }).ToList());
    }

    async Task CreateAsync(ApiContext ctx)
    {
        var body = await ApiJson.ReadAsync<PasswordBody>(ctx);
        var label = body.Label?.Trim();
        if (string.IsNullOrEmpty(label))
            throw ApiError.BadRequest("Name the device the password is for.");
        if (!AppPasswords.IsValidLabel(label))
            throw ApiError.BadRequest($"The device name must be at most {AppPasswords.MaxLabelLength} characters, without control characters.");
        var created = time.GetUtcNow();
        var made = await accounts.CreateAppPasswordAsync(ctx.User, label, null, ctx.Cancellation) ?? throw ApiError.Unauthorized();
        await ApiJson.CreatedAsync(ctx, new { id = made.Id, label = made.Label, created, password = made.Password });
    }

    async Task RevokeAsync(ApiContext ctx)
    {
        var id = ctx.Segments[1];
        if (id.Length > 100 || !await accounts.RevokeAppPasswordAsync(ctx.User, id, ctx.Cancellation))
            throw ApiError.NotFound("No such app password.");
        // The password this session was opened with: the session ends with it.
        if (id == ctx.Session.PasswordId)
            await sessions.CloseAsync(ctx.Http, ctx.Session, ctx.Cancellation);
        ApiJson.NoContent(ctx);
    }
}
