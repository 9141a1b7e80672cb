using Microsoft.AspNetCore.Http;

namespace Caldera.Web.Api;

/// <summary>An API answer other than success: its status and a sentence for people (written as <c>{"error": …}</c>).</summary>
public sealed class ApiError(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiError BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    public static ApiError Unauthorized() => new(StatusCodes.Status401Unauthorized, "Sign in first (no session, or it has ended).");
    public static ApiError Forbidden(string message) => new(StatusCodes.Status403Forbidden, message);
    public static ApiError NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    public static ApiError Conflict(string message) => new(StatusCodes.Status409Conflict, message);
}
