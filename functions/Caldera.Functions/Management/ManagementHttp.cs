using System.Text.Json;
using Caldera.Dav;
using Caldera.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Caldera.Functions.Management;

/// <summary>What every management function does with HTTP: route values, JSON errors, and bounded JSON bodies.</summary>
static class ManagementHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? RouteValue(HttpRequest req, string key) =>
        req.RouteValues.TryGetValue(key, out var value) ? value?.ToString() : null;

    public static IActionResult Error(int status, string message) =>
        new ObjectResult(new ErrorResponse(message)) { StatusCode = status, ContentTypes = { "application/json" } };

    /// <summary>
    /// Reads a JSON body of at most <paramref name="maxBytes"/> with the engine's bounded reader, refusing a larger one (413)
    /// before it is buffered whole.
    /// An empty body (or JSON null) is allowed only with <paramref name="allowEmpty"/>, and then yields no body and no error.
    /// </summary>
    public static async Task<(T? Body, IActionResult? Error)> ReadJsonAsync<T>(HttpRequest req, int maxBytes, bool allowEmpty, CancellationToken ct)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = await RequestBody.ReadAsync(req, maxBytes, ct);
        }
        catch (DavException e) when (e.Status == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {maxBytes} bytes."));
        }
        if (bytes.Length == 0)
            return allowEmpty ? (null, null) : (null, Error(StatusCodes.Status400BadRequest, "A JSON body is required."));
        try
        {
            var body = JsonSerializer.Deserialize<T>(bytes, Json);
            if (body is null && !allowEmpty)
                return (null, Error(StatusCodes.Status400BadRequest, "A JSON object is required."));
            return (body, null);
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}"));
        }
    }

    public static IActionResult InvalidUserName(string? name) =>
        Error(StatusCodes.Status400BadRequest,
            $"Invalid user name '{name}': use 1-{Names.MaxUserName} lower-case letters, digits, '.', '_' or '-', starting with a letter or digit.");

    public static IActionResult UserNotFound(string name) => Error(StatusCodes.Status404NotFound, $"User '{name}' does not exist.");
}
