using Azure.Core;

namespace Caldera.Storage;

/// <summary>
/// Adjusts the options of every storage client (tables, blobs, queues) before it is built, after Caldera's own
/// counting policy is added: tests register one in DI to add a fault-injecting <see cref="HttpPipelinePolicy"/> or
/// shorten retry delays. Production registers none.
/// </summary>
public sealed class StorageClientHook(Action<ClientOptions> configure)
{
    public void Apply(ClientOptions options) => configure(options);
}
