using System.Text.Json;
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
    /// Reads a JSON body of at most <paramref name="maxBytes"/>, refusing a larger one (413) before it is buffered whole.
    /// An empty body (or JSON null) is allowed only with <paramref name="allowEmpty"/>, and then yields no body and no error.
    /// </summary>
    public static async Task<(T? Body, IActionResult? Error)> ReadJsonAsync<T>(HttpRequest req, int maxBytes, bool allowEmpty, CancellationToken ct)
        where T : class
    {
        if (req.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await req.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                return (null, TooLarge(maxBytes));
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            return allowEmpty ? (null, null) : (null, Error(StatusCodes.Status400BadRequest, "A JSON body is required."));
        try
        {
            var body = JsonSerializer.Deserialize<T>(buffer.ToArray(), Json);
            if (body is null && !allowEmpty)
                return (null, Error(StatusCodes.Status400BadRequest, "A JSON object is required."));
            return (body, null);
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}"));
        }
    }

    static IActionResult TooLarge(int maxBytes) =>
        Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {maxBytes} bytes.");
}
