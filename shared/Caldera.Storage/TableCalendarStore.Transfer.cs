using Azure;
using Azure.Data.Tables;
using Caldera.Storage.Quota;

namespace Caldera.Storage;

// COPY and MOVE between calendars of one owner: both calendars' rows live in the owner's partition, so the
// index change on both sides is one transaction. A move within a calendar keeps the blob; a copy, or a move
// to another calendar, writes a new blob under the target calendar (so deleting a calendar by blob prefix
// never removes a body another calendar uses).
public sealed partial class TableCalendarStore
{
    public async Task<WriteResult> TransferObjectAsync(string owner, string sourceCalendar, string sourceName, string targetCalendar,
        string targetName, bool move, bool overwrite, WriteConditions targetConditions, CancellationToken ct)
    {
        Guard.UserName(owner);
        var sameCalendar = sourceCalendar == targetCalendar;
        if (sameCalendar && sourceName == targetName)
            return new WriteResult(WriteStatus.Conflict); // source and destination are the same resource
        using var gate = await EnterWriteAsync(owner, ct, sourceCalendar, targetCalendar);
        _lastRows.Forget(owner, sourceCalendar);
        _lastRows.Forget(owner, targetCalendar);
        string? uploaded = null, uploadedETag = null, uploadedFrom = null;
        // The last transaction submitted without success: it may have committed with its answer lost (see Submitted).
        (string BlobName, string ETag, bool Created, string? OldTargetBlob, string? SourceBlob)? submitted = null;
        var inDoubt = false;
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                NoteRetry(attempt);
                if (attempt > 0)
                    await TableOps.BackoffAsync(attempt, ct);
                var sourceCalTask = TableOps.ReadAsync(_table, owner, CalendarRows.Calendar(sourceCalendar), ct);
                var targetCalTask = sameCalendar ? sourceCalTask : TableOps.ReadAsync(_table, owner, CalendarRows.Calendar(targetCalendar), ct);
                var (sourceCal, targetCal) = (await sourceCalTask, await targetCalTask);
                if (sourceCal is null || targetCal is null)
                    return new WriteResult(WriteStatus.CalendarNotFound);
                string sourceId = CalendarRows.Id(sourceCal), targetId = CalendarRows.Id(targetCal);
                var sourceTask = TableOps.ReadAsync(_table, owner, CalendarRows.Object(sourceId, sourceName), ct);
                var targetTask = TableOps.ReadAsync(_table, owner, CalendarRows.Object(targetId, targetName), ct);
                var (source, target) = (await sourceTask, await targetTask);
                if (submitted is { } mine && target?.GetString("BlobName") == mine.BlobName && (!move || source is null))
                {
                    // The target names this request's body (a new blob, or for a move in one calendar the source's, with the
                    // source gone): an earlier attempt committed though its answer was lost. Finish as it would have.
                    uploaded = null;
                    await _blobs.DeleteQuietlyAsync(mine.OldTargetBlob == mine.BlobName ? null : mine.OldTargetBlob);
                    await _blobs.DeleteQuietlyAsync(mine.SourceBlob);
                    return new WriteResult(mine.Created ? WriteStatus.Created : WriteStatus.Updated, mine.ETag);
                }
                inDoubt = false;
                if (source is null)
                    return new WriteResult(WriteStatus.NotFound);
                if (target is not null && !overwrite || !targetConditions.HoldFor(target?.GetString("ETag")))
                    return new WriteResult(WriteStatus.PreconditionFailed);

                var sourceRecord = CalendarRows.ToObject(source);
                if (await QuotaRefusesAsync(owner, sourceCal, targetCal, sourceRecord.Size, target, move, ct))
                    return new WriteResult(WriteStatus.QuotaExceeded);
                string blobName = sourceRecord.BlobName, etag = sourceRecord.ETag;
                if (!(move && sameCalendar))
                {
                    // New body blob under the target calendar, made once per source version.
                    var from = $"{targetId}/{sourceRecord.BlobName}";
                    if (uploadedFrom != from)
                    {
                        var body = await _blobs.ReadAsync(sourceRecord.BlobName, ct);
                        if (body is null)
                            continue; // the source changed meanwhile
                        await _blobs.DeleteQuietlyAsync(uploaded);
                        uploaded = BodyBlobs.NewName(owner, targetId);
                        uploadedETag = await _blobs.UploadAsync(uploaded, body, ct);
                        uploadedFrom = from;
                    }
                    (blobName, etag) = (uploaded!, uploadedETag!);
                }

                var now = DateTimeOffset.UtcNow;
                var tx = new Transaction();
                long sourceRevision = CalendarRows.Revision(sourceCal), targetRevision;
                if (sameCalendar)
                {
                    // One revision per change row: a move in one calendar takes two.
                    targetRevision = sourceRevision + (move ? 2 : 1);
                    tx.Replace(CalendarRows.Bump(sourceCal, targetRevision, now));
                }
                else
                {
                    targetRevision = CalendarRows.Revision(targetCal) + 1;
                    tx.Replace(CalendarRows.Bump(targetCal, targetRevision, now));
                    if (move)
                        tx.Replace(CalendarRows.Bump(sourceCal, ++sourceRevision, now));
                }

                var targetRecord = sourceRecord with { Name = targetName, ETag = etag, BlobName = blobName, LastModified = now };
                tx.Put(CalendarRows.FromObject(owner, targetId, targetRecord), target);
                tx.MoveBuckets(owner, targetId, target, targetRecord);
                var targetUid = target?.GetString("Uid");
                var uidAdd = -1;
                if (move && sameCalendar)
                {
                    // The UID row already names the source: point it at the target; drop the overwritten object's.
                    tx.Upsert(CalendarRows.UidRow(owner, targetId, sourceRecord.Uid, targetName));
                    if (targetUid is not null && targetUid != sourceRecord.Uid)
                        tx.Delete(new TableEntity(owner, CalendarRows.Uid(targetId, targetUid)), ETag.All);
                }
                else
                    uidAdd = tx.ChangeUid(owner, targetId, targetUid, sourceRecord.Uid, targetName);

                if (move)
                {
                    tx.Delete(source, source.ETag);
                    tx.MoveBuckets(owner, sourceId, source, null);
                    if (!sameCalendar)
                        tx.Delete(new TableEntity(owner, CalendarRows.Uid(sourceId, sourceRecord.Uid)), ETag.All);
                    tx.Add(CalendarRows.ChangeRow(owner, sourceId, sameCalendar ? sourceRevision + 1 : sourceRevision, sourceName, deleted: true));
                }
                tx.Add(CalendarRows.ChangeRow(owner, targetId, targetRevision, targetName, deleted: false, targetRecord));

                submitted = (blobName, etag, target is null, target?.GetString("BlobName"), move && !sameCalendar ? sourceRecord.BlobName : null);
                inDoubt = true;
                var failure = await tx.SubmitAsync(_table, ct);
                if (failure is null)
                {
                    uploaded = null;
                    if (sameCalendar)
                        AfterWrite(owner, targetCalendar, targetId, targetRevision - (move ? 2 : 1), targetRevision,
                            move ? [(sourceName, null), (targetName, targetRecord)] : [(targetName, targetRecord)]);
                    else
                    {
                        AfterWrite(owner, targetCalendar, targetId, targetRevision - 1, targetRevision, (targetName, targetRecord));
                        if (move)
                            AfterWrite(owner, sourceCalendar, sourceId, sourceRevision - 1, sourceRevision, (sourceName, null));
                    }
                    var oldTargetBlob = target?.GetString("BlobName");
                    await _blobs.DeleteQuietlyAsync(oldTargetBlob == blobName ? null : oldTargetBlob);
                    if (move && !sameCalendar)
                        await _blobs.DeleteQuietlyAsync(sourceRecord.BlobName);
                    return new WriteResult(target is null ? WriteStatus.Created : WriteStatus.Updated, etag);
                }
                if (failure.IsConflictAt(uidAdd) && await UidHolderAsync(owner, targetId, sourceRecord.Uid, ct) is { } holder && holder != targetName)
                {
                    inDoubt = false; // another object holds the UID: this transaction did not commit
                    return new WriteResult(WriteStatus.UidConflict, ConflictingName: holder, ConflictingCalendar: targetCalendar);
                }
            }
            return new WriteResult(WriteStatus.Conflict);
        }
        finally
        {
            // After a lost answer the upload may be the target's body now: left for the orphan sweeper if it is not.
            if (!inDoubt)
                await _blobs.DeleteQuietlyAsync(uploaded);
        }
    }

    /// <summary>
    /// Moves the usage counters of the transfer onto the calendar rows (the transaction stores them) and says whether the
    /// owner's usage would grow past the quota. A move between calendars never grows it; a copy, or an overwrite by a larger
    /// object, does, and only then are the owner's other calendars summed.
    /// </summary>
    async Task<bool> QuotaRefusesAsync(string owner, TableEntity sourceCal, TableEntity targetCal, long sourceSize, TableEntity? target,
        bool move, CancellationToken ct)
    {
        await EnsureCountedAsync(sourceCal, ct);
        await EnsureCountedAsync(targetCal, ct);
        long objects = target is null ? 1 : 0, bytes = sourceSize - (target?.GetInt64("Size") ?? 0);
        var grownObjects = objects - (move ? 1 : 0);
        var grownBytes = bytes - (move ? sourceSize : 0);
        if (grownObjects > 0 || grownBytes > 0)
        {
            var keys = new[] { sourceCal.RowKey, targetCal.RowKey };
            var usage = await SumUsageAsync(owner, keys, ct);
            foreach (var row in ReferenceEquals(sourceCal, targetCal) ? new[] { sourceCal } : new[] { sourceCal, targetCal })
                usage = usage.Plus(UsageColumns.Of(row).Objects, UsageColumns.Of(row).Bytes);
            if (_quota.Exceeded(usage, grownObjects, grownBytes))
                return true;
        }
        // One row when the transfer stays in one calendar: both changes land on it.
        UsageColumns.Add(targetCal, objects, bytes);
        if (move)
            UsageColumns.Add(sourceCal, -1, -sourceSize);
        return false;
    }
}
