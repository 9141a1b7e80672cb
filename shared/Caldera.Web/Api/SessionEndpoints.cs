using System.Globalization;
using Caldera.Calendars.Accounts;
using Caldera.Dav;
using Caldera.Dav.Nodes;
using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Api;

/// <summary>
/// session: sign in with a user name and an app password (the CalDAV side's throttle and check), show the session,
/// sign out. The password is read from the JSON body only and never logged.
/// </summary>
public sealed class SessionEndpoints(IAccountService accounts, SignInThrottle throttle, DavOptions options, WebSessions sessions) : IApiEndpoints
{
    public IEnumerable<ApiRoute> Routes =>
    [
        new("POST", "session", SignInAsync, Anonymous: true),
        new("GET", "session", ShowAsync),
        new("DELETE", "session", SignOutAsync),
    ];

    sealed record SignIn(string? User, string? Password);

    /// <summary>Which app password matched, and the user it belongs to.</summary>
    sealed record SignedIn(string PasswordId, Caldera.Storage.UserRecord Record);

    async Task SignInAsync(ApiContext ctx)
    {
        var body = await ApiJson.ReadAsync<SignIn>(ctx);
        if (string.IsNullOrWhiteSpace(body.User) || string.IsNullOrEmpty(body.Password))
            throw ApiError.BadRequest("Give a user name and an app password.");
        // Clients type user names in any case; stored names are lower-case (as BasicAuthenticator does).
        var user = body.User.Trim().ToLowerInvariant();
        var address = ClientAddress.Of(ctx.Http, options.ClientAddressHeader);
        var (signedIn, retryAfter) = await throttle.AttemptAsync<SignedIn>(user, address, async () =>
            await accounts.FindMatchingPasswordAsync(user, body.Password, ctx.Cancellation) is { } passwordId
            && await accounts.GetUserAsync(user, ctx.Cancellation) is { } found
                ? new SignedIn(passwordId, found)
                : null);
        if (retryAfter is { } seconds)
        {
            ctx.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            throw new ApiError(StatusCodes.Status429TooManyRequests, $"Too many failed sign-ins from this address; try again in {seconds} s.");
        }
        if (signedIn is null)
            throw new ApiError(StatusCodes.Status401Unauthorized, "Wrong user name or app password.");
        var session = await sessions.OpenAsync(ctx.Http, user, signedIn.PasswordId, ctx.Cancellation);
        await ApiJson.OkAsync(ctx, new { user, displayName = signedIn.Record.DisplayName, email = signedIn.Record.Email, csrf = session.Csrf });
    }

    async Task ShowAsync(ApiContext ctx)
    {
        var record = await accounts.GetUserAsync(ctx.User, ctx.Cancellation) ?? throw ApiError.Unauthorized();
        await ApiJson.OkAsync(ctx, new
        {
            user = ctx.User,
            displayName = record.DisplayName,
            email = record.Email,
            csrf = ctx.Session.Csrf,
            serverUrl = ctx.Absolute("/"),
            principalUrl = ctx.Absolute(Hrefs.Principal(ctx.User)),
            homeUrl = ctx.Absolute(Hrefs.Home(ctx.User)),
        });
    }

    async Task SignOutAsync(ApiContext ctx)
    {
        await sessions.CloseAsync(ctx.Http, ctx.Session, ctx.Cancellation);
        ApiJson.NoContent(ctx);
    }
}
