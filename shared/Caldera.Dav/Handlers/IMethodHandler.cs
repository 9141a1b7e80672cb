namespace Caldera.Dav.Handlers;

/// <summary>Handles one HTTP method for an authenticated request (Radicale's one-module-per-method shape).</summary>
public interface IMethodHandler
{
    IReadOnlyList<string> Methods { get; }
    Task HandleAsync(DavContext ctx);
}
