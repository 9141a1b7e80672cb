using Caldera.Calendars.Accounts;
using Caldera.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Management;

/// <summary>
/// User and app-password management over <see cref="IAccountService"/>. Function-level keys: in Azure the host
/// checks <c>x-functions-key</c> / <c>?code=</c>; the local host does the same with its local key.
/// Function names start with "Manage" so they sort before the Webdav* catch-all functions.
/// </summary>
public sealed class ManagementFunctions(IAccountService accounts)
{
    const int MaxBodyBytes = 16 * 1024;
    const int MaxDisplayNameLength = 200;
    const int MaxEmailLength = 320;


    [Function("ManageUsersList")]
    public async Task<IActionResult> ListUsers(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.Users)] HttpRequest req,
        CancellationToken ct)
    {
        var users = await accounts.ListUsersAsync(ct);
        return new JsonResult(users.Select(UserResponse.From).ToList());
    }

    [Function("ManageUsersCreate")]
    public async Task<IActionResult> CreateUser(
        [HttpTrigger(AuthorizationLevel.Function, "POST", Route = ManagementRoutes.Users)] HttpRequest req,
        CancellationToken ct)
    {
        var (body, error) = await ReadJsonAsync<CreateUserRequest>(req, MaxBodyBytes, allowEmpty: false, ct);
        if (body is null)
            return error!;
        if (!Names.IsValidUserName(body.UserName))
            return InvalidUserName(body.UserName);
        if (body.DisplayName is { Length: > MaxDisplayNameLength })
            return BadRequest($"displayName is longer than {MaxDisplayNameLength} characters.");
        if (body.Email is { Length: > MaxEmailLength } || body.Email is { Length: > 0 } && !body.Email.Contains('@'))
            return BadRequest("email is not a valid address.");

        var status = await accounts.CreateUserAsync(body.UserName!, NullIfBlank(body.DisplayName), NullIfBlank(body.Email), ct);
        switch (status)
        {
            case CreateUserStatus.Created:
                var user = await accounts.GetUserAsync(body.UserName!, ct);
                var response = user is null
                    ? new UserResponse(body.UserName!, body.DisplayName ?? body.UserName!, body.Email ?? "", DateTimeOffset.UtcNow)
                    : UserResponse.From(user);
                return new ObjectResult(response)
                {
                    StatusCode = StatusCodes.Status201Created,
                    ContentTypes = { "application/json" },
                    // Location is relative to the application root (routePrefix is "").
                };
            case CreateUserStatus.AlreadyExists:
                return Error(StatusCodes.Status409Conflict, $"User '{body.UserName}' already exists.");
            default:
                return InvalidUserName(body.UserName);
        }
    }

    [Function("ManageUsersGet")]
    public async Task<IActionResult> GetUser(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.User)] HttpRequest req,
        CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        var user = await accounts.GetUserAsync(name!, ct);
        return user is null ? UserNotFound(name!) : new JsonResult(UserResponse.From(user));
    }

    [Function("ManageUsersDelete")]
    public async Task<IActionResult> DeleteUser(
        [HttpTrigger(AuthorizationLevel.Function, "DELETE", Route = ManagementRoutes.User)] HttpRequest req,
        CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        return await accounts.DeleteUserAsync(name!, ct) ? new NoContentResult() : UserNotFound(name!);
    }

    /// <summary>
    /// Writes the user's email-address row again (idempotent): users created before the iMIP address index existed
    /// are not found by invitation emails until this has run once.
    /// </summary>
    [Function("ManageUsersIndexAddress")]
    public async Task<IActionResult> IndexAddress(
        [HttpTrigger(AuthorizationLevel.Function, "POST", Route = ManagementRoutes.AddressIndex)] HttpRequest req,
        CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        return await accounts.IndexAddressAsync(name!, ct) ? new NoContentResult() : UserNotFound(name!);
    }

    [Function("ManagePasswordsList")]
    public async Task<IActionResult> ListPasswords(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.Passwords)] HttpRequest req,
        CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        if (await accounts.GetUserAsync(name!, ct) is null)
            return UserNotFound(name!);
        var passwords = await accounts.ListAppPasswordsAsync(name!, ct);
        return new JsonResult(passwords.Select(PasswordResponse.From).ToList());
    }

    [Function("ManagePasswordsCreate")]
    public async Task<IActionResult> CreatePassword(
        [HttpTrigger(AuthorizationLevel.Function, "POST", Route = ManagementRoutes.Passwords)] HttpRequest req,
        CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        var (body, error) = await ReadJsonAsync<CreatePasswordRequest>(req, MaxBodyBytes, allowEmpty: true, ct);
        if (error is not null)
            return error;
        var label = string.IsNullOrWhiteSpace(body?.Label) ? "device" : body.Label.Trim();
        if (!AppPasswords.IsValidLabel(label))
            return BadRequest($"label must be at most {AppPasswords.MaxLabelLength} characters without control characters.");

        NewAppPassword? created;
        try
        {
            created = await accounts.CreateAppPasswordAsync(name!, label, NullIfBlank(body?.Password), ct);
        }
        catch (ArgumentException e)
        {
            return BadRequest(e.Message);
        }
        if (created is null)
            return UserNotFound(name!);
        return new ObjectResult(new CreatedPasswordResponse(name!, created.Id, created.Label, created.Password))
        {
            StatusCode = StatusCodes.Status201Created,
            ContentTypes = { "application/json" },
        };
    }

    [Function("ManagePasswordsRevoke")]
    public async Task<IActionResult> RevokePassword(
        [HttpTrigger(AuthorizationLevel.Function, "DELETE", Route = ManagementRoutes.Password)] HttpRequest req,
        CancellationToken ct)
    {
        var name = RouteValue(req, "user");
        var id = RouteValue(req, "id");
        if (!Names.IsValidUserName(name))
            return InvalidUserName(name);
        if (string.IsNullOrEmpty(id))
            return BadRequest("Missing password id.");
        return await accounts.RevokeAppPasswordAsync(name!, id, ct)
            ? new NoContentResult()
            : Error(StatusCodes.Status404NotFound, $"User '{name}' has no app password '{id}'.");
    }

    static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    static IActionResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);
}
