using Azure;
using Azure.Data.Tables;
using Caldera.Storage.Quota;

namespace Caldera.Storage;

// PUT and DELETE of objects: read, check preconditions, commit one entity-group transaction that bumps the
// calendar row (with its table ETag) and changes index, UID and change rows together; retry on concurrency.
public sealed partial class TableCalendarStore
{
    /// <summary>
    /// The body is uploaded before the calendar's write gate is taken and the replaced body deleted after it is
    /// released, so writers of one calendar wait only for each other's reads and transaction. Inside the gate the
    /// calendar row this instance last committed is used as it is (a stale one fails the transaction, which then
    /// reads it and tries again), so a PUT costs the object row, the transaction and the two blob calls.
    /// </summary>
    public async Task<WriteResult> PutObjectAsync(string owner, string calendar, string name, ObjectWrite write,
        WriteConditions conditions, CancellationToken ct)
    {
        Guard.UserName(owner);
        string? uploaded = null, uploadedETag = null, uploadedCalendarId = null, replacedBlob = null;
        // A transaction whose answer was lost may have committed (see Submitted): the body it points at must stay.
        Submitted? submitted = null;
        var inDoubt = false;
        try
        {
            // Where the body goes depends on the calendar's incarnation: known from this instance's last write, or read.
            var known = _lastRows.Find(owner, calendar);
            var fresh = known is null ? await TableOps.ReadAsync(_table, owner, CalendarRows.Calendar(calendar), ct) : null;
            var calId = (known ?? fresh) is { } row ? CalendarRows.Id(row) : null;
            if (calId is null)
                return new WriteResult(WriteStatus.CalendarNotFound);
            // The owner's other calendars, for the quota, summed while the body uploads (this calendar's counters are
            // read with its row below, so writers of one calendar are held to the limit exactly).
            var othersTask = SumUsageAsync(owner, [CalendarRows.Calendar(calendar)], ct);
            uploaded = BodyBlobs.NewName(owner, calId);
            uploadedETag = await _blobs.UploadAsync(uploaded, write.Body, ct);
            uploadedCalendarId = calId;
            var others = await othersTask;

            using var gate = await EnterWriteAsync(owner, ct, calendar);
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                NoteRetry(attempt);
                var remembered = _lastRows.Find(owner, calendar);
                if (attempt > 0 && remembered is null)
                    await TableOps.BackoffAsync(attempt, ct);
                // Before the gate this request read the row itself, unless a write here made it since: use the newer.
                var cal = remembered ?? (attempt == 0 ? fresh : null) ?? await TableOps.ReadAsync(_table, owner, CalendarRows.Calendar(calendar), ct);
                if (cal is null)
                    return new WriteResult(WriteStatus.CalendarNotFound);
                calId = CalendarRows.Id(cal);
                var current = await TableOps.ReadAsync(_table, owner, CalendarRows.Object(calId, name), ct);
                if (submitted is not null && uploaded is not null && current?.GetString("BlobName") == uploaded)
                {
                    // An earlier attempt committed though its answer was lost (the SDK's retry then met its own change).
                    uploaded = null;
                    replacedBlob = submitted.ReplacedBlob;
                    return new WriteResult(submitted.Created ? WriteStatus.Created : WriteStatus.Updated, uploadedETag);
                }
                inDoubt = false;
                if (!conditions.HoldFor(current?.GetString("ETag")))
                {
                    if (remembered is null)
                        return new WriteResult(WriteStatus.PreconditionFailed);
                    // Decided on a remembered calendar row: make sure it is current before answering 412.
                    _lastRows.Forget(owner, calendar);
                    continue;
                }

                await EnsureCountedAsync(cal, ct);
                var (calendarObjects, calendarBytes) = UsageColumns.Of(cal);
                long grownObjects = current is null ? 1 : 0, grownBytes = write.Body.Length - (current?.GetInt64("Size") ?? 0);
                if (_quota.Exceeded(others.Plus(calendarObjects, calendarBytes), grownObjects, grownBytes))
                {
                    if (remembered is null)
                        return new WriteResult(WriteStatus.QuotaExceeded);
                    // Decided on a remembered calendar row (another instance may have freed room since): read it before refusing.
                    _lastRows.Forget(owner, calendar);
                    continue;
                }

                if (uploadedCalendarId != calId)
                {
                    // The calendar was made again since the upload: the body goes under the new incarnation.
                    await _blobs.DeleteQuietlyAsync(uploaded);
                    uploaded = BodyBlobs.NewName(owner, calId);
                    uploadedETag = await _blobs.UploadAsync(uploaded, write.Body, ct);
                    uploadedCalendarId = calId;
                }

                var now = DateTimeOffset.UtcNow;
                var revision = CalendarRows.Revision(cal) + 1;
                var record = new ObjectRecord
                {
                    Name = name, ETag = uploadedETag!, Uid = write.Uid, Component = write.Component, Size = write.Body.Length,
                    LastModified = now, BlobName = uploaded!, RangeStart = write.RangeStart, RangeEnd = write.RangeEnd,
                    Recurring = write.Recurring, EnvelopeExact = write.EnvelopeExact,
                    Body = write.Body.Length <= CalendarRows.InlineBodyLimit ? write.Body : null,
                    // RFC 4918 §9.7.1: a PUT replaces the body; the resource's dead properties stay.
                    DeadProperties = current?.GetString(CalendarRows.DeadPropertiesColumn),
                    ScheduleTag = write.ScheduleTag,
                };
                var tx = new Transaction();
                var bumped = CalendarRows.Bump(CalendarRows.Copy(cal), revision, now);
                UsageColumns.Add(bumped, grownObjects, grownBytes);
                tx.Replace(bumped);
                tx.Put(CalendarRows.FromObject(owner, calId, record), current);
                var uidAdd = tx.ChangeUid(owner, calId, current?.GetString("Uid"), write.Uid, name);
                tx.Add(CalendarRows.ChangeRow(owner, calId, revision, name, deleted: false, record));
                tx.MoveBuckets(owner, calId, current, record);

                submitted = new Submitted(current is null, current?.GetString("BlobName"));
                inDoubt = true;
                // In doubt until this attempt's answer or the next attempt's read shows whether it committed.
                var failure = await tx.SubmitAsync(_table, ct);
                if (failure is null)
                {
                    uploaded = null; // committed: the blob is now the object's body
                    _lastRows.Remember(owner, calendar, bumped, tx.ETagOf(0));
                    AfterWrite(owner, calendar, calId, revision - 1, revision, (name, record));
                    replacedBlob = current?.GetString("BlobName");
                    return new WriteResult(current is null ? WriteStatus.Created : WriteStatus.Updated, record.ETag);
                }
                _lastRows.Forget(owner, calendar);
                if (failure.IsConflictAt(uidAdd) && await UidHolderAsync(owner, calId, write.Uid, ct) is { } holder && holder != name)
                {
                    inDoubt = false; // another object holds the UID: this transaction did not commit
                    return new WriteResult(WriteStatus.UidConflict, ConflictingName: holder, ConflictingCalendar: calendar);
                }
                // Otherwise the remembered row was stale, or a writer elsewhere changed the calendar or the index row: read again.
            }
            return new WriteResult(WriteStatus.Conflict);
        }
        finally
        {
            // After a lost answer the upload may be the object's body now: left for the orphan sweeper if it is not.
            if (!inDoubt)
                await _blobs.DeleteQuietlyAsync(uploaded);
            await _blobs.DeleteQuietlyAsync(replacedBlob);
        }
    }

    /// <summary>
    /// What a submitted transaction was about to do. A transaction can commit and still fail for its caller: its
    /// answer is lost, the SDK sends it again, and the retry fails on the change the first try made. The next attempt
    /// recognizes its own commit by the body blob (every upload has a new name) and answers as the commit would have.
    /// </summary>
    sealed record Submitted(bool Created, string? ReplacedBlob);

    /// <summary>Column of a delete's change row naming the request that wrote it (a random id).</summary>
    const string WriterColumn = "Writer";

    public async Task<WriteResult> DeleteObjectAsync(string owner, string calendar, string name, WriteConditions conditions, CancellationToken ct)
    {
        TableEntity? submitted = null, submittedChange = null;
        var writer = Guid.NewGuid().ToString("N");
        var result = await WriteExistingAsync(owner, calendar, name, async (cal, current) =>
        {
            if (!conditions.HoldFor(current.GetString("ETag")))
                return new WriteResult(WriteStatus.PreconditionFailed);
            var calId = CalendarRows.Id(cal);
            var revision = CalendarRows.Revision(cal) + 1;
            await EnsureCountedAsync(cal, ct);
            UsageColumns.Add(cal, -1, -(current.GetInt64("Size") ?? 0)); // a delete frees its room in the same transaction
            var tx = new Transaction();
            tx.Replace(CalendarRows.Bump(cal, revision, DateTimeOffset.UtcNow));
            tx.Delete(current, current.ETag);
            tx.Delete(new TableEntity(owner, CalendarRows.Uid(calId, current.GetString("Uid")!)), ETag.All);
            // The change row carries this request's mark: after a lost answer, it tells this delete from another's.
            var change = CalendarRows.ChangeRow(owner, calId, revision, name, deleted: true);
            change[WriterColumn] = writer;
            tx.Add(change);
            tx.MoveBuckets(owner, calId, current, null);
            (submitted, submittedChange) = (current, change);
            if (await tx.SubmitAsync(_table, ct) is not null)
                return null;
            AfterWrite(owner, calendar, calId, revision - 1, revision, (name, null));
            await _blobs.DeleteQuietlyAsync(current.GetString("BlobName"));
            return new WriteResult(WriteStatus.Deleted, current.GetString("ETag"));
        }, ct);
        if (result.Status != WriteStatus.NotFound || submitted is null || submittedChange is null)
            return result;
        // Gone after this request's own transaction failed: either it committed though its answer was lost (see
        // Submitted), or another request deleted the object first. Only the change row's mark tells which.
        var change = await TableOps.ReadAsync(_table, owner, submittedChange.RowKey, ct);
        if (change?.GetString(WriterColumn) != writer)
            return result;
        await _blobs.DeleteQuietlyAsync(submitted.GetString("BlobName"));
        return new WriteResult(WriteStatus.Deleted, submitted.GetString("ETag"));
    }

    /// <summary>
    /// A write to an existing object that uploads no body (DELETE, a dead-property edit), under the calendar's gate: each
    /// attempt gets the calendar row and the index row freshly read and returns its result, or null to try again (its
    /// transaction met a concurrent write).
    /// </summary>
    async Task<WriteResult> WriteExistingAsync(string owner, string calendar, string name,
        Func<TableEntity, TableEntity, Task<WriteResult?>> attempt, CancellationToken ct)
    {
        Guard.UserName(owner);
        using var gate = await EnterWriteAsync(owner, ct, calendar);
        _lastRows.Forget(owner, calendar);
        for (var i = 0; i < MaxAttempts; i++)
        {
            NoteRetry(i);
            if (i > 0)
                await TableOps.BackoffAsync(i, ct);
            var cal = await TableOps.ReadAsync(_table, owner, CalendarRows.Calendar(calendar), ct);
            if (cal is null)
                return new WriteResult(WriteStatus.CalendarNotFound);
            var current = await TableOps.ReadAsync(_table, owner, CalendarRows.Object(CalendarRows.Id(cal), name), ct);
            if (current is null)
                return new WriteResult(WriteStatus.NotFound);
            if (await attempt(cal, current) is { } result)
                return result;
        }
        return new WriteResult(WriteStatus.Conflict);
    }

    public Task<string?> FindNameByUidAsync(CalendarRecord calendar, string uid, CancellationToken ct)
    {
        Guard.UserName(calendar.Owner);
        return UidHolderAsync(calendar.Owner, calendar.Id, uid, ct);
    }

    /// <summary>The name of the object holding a UID in a calendar, or null.</summary>
    async Task<string?> UidHolderAsync(string owner, string calendarId, string uid, CancellationToken ct)
    {
        var row = await TableOps.ReadAsync(_table, owner, CalendarRows.Uid(calendarId, uid), ct);
        return row?.GetString("Name");
    }
}
