using System.Text;
using Azure.Storage.Blobs;

namespace Caldera.Storage.Sweeping;

/// <summary>
/// Where the last bounded run stopped: the listing's continuation token, kept in the objects container's metadata
/// (base64, metadata values are ASCII), so no table or blob of its own is needed. Empty means "from the start".
/// </summary>
sealed class SweepCursor(BlobContainerClient container)
{
    const string Key = "sweepcursor";

    public async Task<string?> ReadAsync(CancellationToken ct)
    {
        var properties = await container.GetPropertiesAsync(cancellationToken: ct);
        return properties.Value.Metadata.TryGetValue(Key, out var value) && value.Length > 0
            ? Encoding.UTF8.GetString(Convert.FromBase64String(value))
            : null;
    }

    public async Task WriteAsync(string? continuation, CancellationToken ct)
    {
        var properties = await container.GetPropertiesAsync(cancellationToken: ct);
        var metadata = new Dictionary<string, string>(properties.Value.Metadata, StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(continuation))
            metadata.Remove(Key);
        else
            metadata[Key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(continuation));
        await container.SetMetadataAsync(metadata, cancellationToken: ct);
    }
}
