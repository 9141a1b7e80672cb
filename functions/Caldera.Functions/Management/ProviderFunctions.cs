using System.Text.RegularExpressions;
using Caldera.Calendars.Registry;
using Caldera.Storage;
using Caldera.Storage.Registry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using static Caldera.Functions.Management.ManagementHttp;

namespace Caldera.Functions.Management;

/// <summary>
/// The calendar provider registry over HTTP: which provider (app id) serves which principal (a user name or "*"),
/// enabled or not, with its configuration. A change made here is applied at once on this instance
/// (<see cref="ProviderRegistry.Invalidate"/>); other instances see it within <see cref="ProviderRegistry.CacheLifetime"/>.
/// </summary>
public sealed partial class ProviderFunctions(IProviderRegistryStore store, ProviderRegistry registry)
{
    const int MaxBodyBytes = 64 * 1024;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex AppIdPattern();

    [Function("ManageProvidersList")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.Providers)] HttpRequest req,
        CancellationToken ct)
    {
        var principal = RouteValue(req, "principal");
        if (!IsValidPrincipal(principal))
            return InvalidPrincipal(principal);
        // The rows that apply to the principal: its own and those for everyone ("*").
        var rows = await store.GetForUserAsync(principal!, ct);
        return new JsonResult(rows.Select(From).ToList());
    }

    [Function("ManageProvidersGet")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "GET", Route = ManagementRoutes.Provider)] HttpRequest req,
        CancellationToken ct)
    {
        var (principal, appId, error) = Key(req);
        if (error is not null)
            return error;
        var row = (await store.GetForUserAsync(principal, ct))
            .FirstOrDefault(r => r.Principal == principal && r.AppId.Equals(appId, StringComparison.OrdinalIgnoreCase));
        return row is null ? NotFound(principal, appId) : new JsonResult(From(row));
    }

    [Function("ManageProvidersPut")]
    public async Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Function, "PUT", Route = ManagementRoutes.Provider)] HttpRequest req,
        CancellationToken ct)
    {
        var (principal, appId, error) = Key(req);
        if (error is not null)
            return error;
        var (body, bodyError) = await ReadJsonAsync<ProviderRequest>(req, MaxBodyBytes, allowEmpty: true, ct);
        if (bodyError is not null)
            return bodyError;
        var row = new ProviderRegistration(principal, appId, body?.Enabled ?? true, body?.Configuration);
        await store.UpsertAsync(row, ct);
        registry.Invalidate();
        return new JsonResult(From(row));
    }

    [Function("ManageProvidersDelete")]
    public async Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "DELETE", Route = ManagementRoutes.Provider)] HttpRequest req,
        CancellationToken ct)
    {
        var (principal, appId, error) = Key(req);
        if (error is not null)
            return error;
        var deleted = await store.DeleteAsync(principal, appId, ct);
        registry.Invalidate();
        return deleted ? new NoContentResult() : NotFound(principal, appId);
    }

    static ProviderResponse From(ProviderRegistration r) => new(r.Principal, r.AppId, r.Enabled, r.Configuration);

    static bool IsValidPrincipal(string? p) => p == ProviderRegistration.Everyone || Names.IsValidUserName(p);

    static (string Principal, string AppId, IActionResult? Error) Key(HttpRequest req)
    {
        var principal = RouteValue(req, "principal");
        var appId = RouteValue(req, "appId");
        if (!IsValidPrincipal(principal))
            return ("", "", InvalidPrincipal(principal));
        if (appId is null || !AppIdPattern().IsMatch(appId))
            return ("", "", Error(StatusCodes.Status400BadRequest,
                $"Invalid app id '{appId}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit."));
        return (principal!, appId, null);
    }

    static IActionResult InvalidPrincipal(string? p) =>
        Error(StatusCodes.Status400BadRequest, $"Invalid principal '{p}': a user name or '*' for everyone.");

    static IActionResult NotFound(string principal, string appId) =>
        Error(StatusCodes.Status404NotFound, $"No registry row for provider '{appId}' and principal '{principal}'.");
}
