using System.Text.Json;
using Caldera.Dav;
using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Api;

/// <summary>JSON in and out: web defaults (camelCase), bodies of at most <see cref="MaxBodyBytes"/>.</summary>
public static class ApiJson
{
    public const int MaxBodyBytes = 16 * 1024;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>The request's JSON object, read with the engine's bounded reader (413 past the limit, 400 when not JSON).</summary>
    public static async Task<T> ReadAsync<T>(ApiContext ctx) where T : class
    {
        byte[] bytes;
        try
        {
            bytes = await RequestBody.ReadAsync(ctx.Request, MaxBodyBytes, ctx.Cancellation);
        }
        catch (DavException e) when (e.Status == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ApiError(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes.");
        }
        if (bytes.Length == 0)
            throw ApiError.BadRequest("A JSON body is required.");
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options) ?? throw ApiError.BadRequest("A JSON object is required.");
        }
        catch (JsonException)
        {
            throw ApiError.BadRequest("The body is not valid JSON of the expected shape.");
        }
    }

    public static async Task WriteAsync<T>(ApiContext ctx, int status, T value)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(ctx.Response.Body, value, Options, ctx.Cancellation);
    }

    public static Task OkAsync<T>(ApiContext ctx, T value) => WriteAsync(ctx, StatusCodes.Status200OK, value);

    public static Task CreatedAsync<T>(ApiContext ctx, T value) => WriteAsync(ctx, StatusCodes.Status201Created, value);

    public static void NoContent(ApiContext ctx) => ctx.Response.StatusCode = StatusCodes.Status204NoContent;

    public static Task ErrorAsync(HttpContext http, int status, string message, CancellationToken ct)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(http.Response.Body, new ErrorBody(message), Options, ct);
    }

    sealed record ErrorBody(string Error);
}
