using Caldera.Dav;
using Caldera.Storage;

namespace Caldera.Functions;

/// <summary>Lets the DAV engine answer 503 + Retry-After when storage is down (see <see cref="StorageFailures"/>).</summary>
public sealed class StorageOutageClassifier : IBackendOutage
{
    public bool IsOutage(Exception exception) => StorageFailures.IsOutage(exception);
}
