using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;

namespace Caldera.Storage.Sweeping;

/// <summary>
/// Removes orphaned body blobs: a body no object row names, left by a crash between upload and commit, by a best-effort
/// delete of a replaced body that failed, or by a calendar delete whose purge stopped half-way. A blob is removed only
/// when it is older than <see cref="SweepOptions.Grace"/> (a write in flight uploads before it commits), when fresh reads
/// of the index just before still find no reference, and only if it still has the ETag it was listed with. Each run lists
/// at most <see cref="SweepOptions.MaxBlobsPerRun"/> blobs and stores where it stopped; the next run goes on from there.
/// </summary>
public sealed class OrphanSweeper(TableServiceClient tables, BlobServiceClient blobs, StorageLayout layout, SweepOptions options,
    TimeProvider time, ILogger<OrphanSweeper> logger)
{
    readonly BlobContainerClient _container = blobs.GetBlobContainerClient(layout.ObjectsContainer);

    public async Task<SweepReport> RunAsync(CancellationToken ct)
    {
        var cursor = new SweepCursor(_container);
        var references = new BodyReferences(tables.GetTableClient(layout.CalendarsTable));
        var continuation = await cursor.ReadAsync(ct);
        int listed = 0, removed = 0, young = 0, raced = 0, foreign = 0;
        var finished = false;
        var oldest = time.GetUtcNow() - options.Grace;
        await foreach (var page in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct).AsPages(continuation, options.PageSize))
        {
            foreach (var blob in page.Values)
            {
                listed++;
                if (BodyBlobName.TryParse(blob.Name) is not { } name)
                {
                    foreign++;
                    continue;
                }
                if (await references.IsReferencedAsync(blob.Name, name, ct))
                    continue;
                if (blob.Properties.LastModified is not { } modified || modified > oldest)
                {
                    young++;
                    continue;
                }
                if (await RemoveAsync(blob, name, references, ct))
                    removed++;
                else
                    raced++;
            }
            continuation = page.ContinuationToken;
            if (string.IsNullOrEmpty(continuation))
            {
                finished = true;
                break;
            }
            if (listed >= options.MaxBlobsPerRun)
                break;
        }
        await cursor.WriteAsync(finished ? null : continuation, ct);
        var report = new SweepReport(listed, removed, young, raced, foreign, finished);
        logger.LogInformation("Orphan sweep: {Listed} blobs listed, {Removed} orphans removed, {Young} younger than {Grace} kept, " +
            "{Raced} kept after the re-check, {Foreign} foreign names skipped; {Where}",
            listed, removed, young, options.Grace, raced, foreign, finished ? "reached the end" : "the next run resumes here");
        return report;
    }

    async Task<bool> RemoveAsync(BlobItem blob, BodyBlobName name, BodyReferences references, CancellationToken ct)
    {
        if (await references.IsReferencedNowAsync(blob.Name, name, ct))
            return false;
        try
        {
            // If-Match: never a blob rewritten since it was listed (body names are never reused, so this is belt and braces).
            await _container.GetBlobClient(blob.Name).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots,
                new BlobRequestConditions { IfMatch = blob.Properties.ETag }, ct);
            logger.LogInformation("Orphan sweep removed {Blob} ({Bytes} bytes, last modified {Modified:o})",
                blob.Name, blob.Properties.ContentLength, blob.Properties.LastModified);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false; // gone already, or changed since listed
        }
    }
}
