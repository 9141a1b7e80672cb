namespace Caldera.Storage;

// Dead properties of an object live on its index row. Changing them is a write like a PUT without a body: one
// transaction bumps the revision, replaces the index row (on its table ETag) and adds a change row carrying the
// record, so every instance's snapshot (and sync-collection) sees the change; bucket rows carry the record too.
public sealed partial class TableCalendarStore
{
    public Task<WriteResult> UpdateObjectPropertiesAsync(string owner, string calendar, string name, DeadPropertiesEdit edit, CancellationToken ct) =>
        WriteExistingAsync(owner, calendar, name, async (cal, current) =>
        {
            var etag = current.GetString("ETag");
            var stored = current.GetString(CalendarRows.DeadPropertiesColumn);
            // A refused edit, or one that changes nothing (removing what is not there), writes nothing.
            if (!edit(stored, out var dead) || dead == stored)
                return new WriteResult(WriteStatus.Updated, etag);

            var calId = CalendarRows.Id(cal);
            var revision = CalendarRows.Revision(cal) + 1;
            var record = CalendarRows.ToObject(current) with { DeadProperties = dead };
            var tx = new Transaction();
            tx.Replace(CalendarRows.Bump(cal, revision, DateTimeOffset.UtcNow));
            tx.Put(CalendarRows.FromObject(owner, calId, record), current);
            tx.Add(CalendarRows.ChangeRow(owner, calId, revision, name, deleted: false, record));
            tx.MoveBuckets(owner, calId, current, record);
            if (await tx.SubmitAsync(_table, ct) is not null)
                return null;
            AfterWrite(owner, calendar, calId, revision - 1, revision, (name, record));
            return new WriteResult(WriteStatus.Updated, etag);
        }, ct);
}
