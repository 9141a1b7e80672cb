namespace Caldera.Dav;

/// <summary>
/// Tells the engine which exceptions mean "the backend is unreachable for now" (storage down, timing out), so it
/// answers 503 with Retry-After instead of 500. The engine knows no backend; the host registers its classifiers.
/// </summary>
public interface IBackendOutage
{
    bool IsOutage(Exception exception);
}
