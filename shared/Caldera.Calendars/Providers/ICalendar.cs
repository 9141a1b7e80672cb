using Caldera.Storage;

namespace Caldera.Calendars.Providers;

/// <summary>
/// A calendar collection as the engine sees it (the seed's <c>ICalendar</c> plus the DAV-facing node).
/// Read-only unless it also implements <see cref="IWritableCalendar"/>.
/// </summary>
public interface ICalendar
{
    /// <summary>The provider-local URI segment.</summary>
    string Uri { get; }
    /// <summary>User name of the owning principal.</summary>
    string Owner { get; }
    string? DisplayName { get; }
    string? Description { get; }
    string? Color { get; }
    int? Order { get; }
    /// <summary>VCALENDAR text holding one VTIMEZONE, or null.</summary>
    string? TimeZone { get; }
    IReadOnlyList<string> SupportedComponents { get; }
    /// <summary>Changes whenever any object or property changes (CalendarServer getctag).</summary>
    string CTag { get; }
    /// <summary>RFC 6578 token of the current state, or null when the calendar cannot report changes.</summary>
    string? SyncToken { get; }
    DateTimeOffset? LastModified { get; }
    /// <summary>What the asking principal may do here.</summary>
    CalendarPrivileges Privileges { get; }
    /// <summary>The calendar's dead properties as the engine stored them (XML), or null: none, or a provider that keeps none.</summary>
    string? DeadProperties => null;

    /// <summary>All objects, metadata only (no bodies).</summary>
    Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct);
    Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct);
    /// <summary>Objects by name; unknown names are left out.</summary>
    Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct);
    /// <summary>
    /// Objects that may match a query: a provider with an index rules out what it can (component kind,
    /// time-range envelope) so only candidates' bodies are read. The default rules out nothing.
    /// </summary>
    Task<IReadOnlyList<ICalendarObject>> FindCandidatesAsync(ObjectQuery query, CancellationToken ct) => GetObjectsAsync(ct);

    /// <summary>Changes since <paramref name="syncToken"/>, or null if the token is not valid for this calendar.</summary>
    Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct);
}

/// <summary>Names changed since a sync token (each once, deleted or not) and the token of the new state.</summary>
public sealed record CalendarChanges(string SyncToken, IReadOnlyList<ChangedName> Changes);

public sealed record ChangedName(string Name, bool Deleted);

/// <summary>A calendar whose objects can be written (the seed's <c>ICreateFromString</c>, with DAV preconditions).</summary>
public interface IWritableCalendar : ICalendar
{
    Task<WriteResult> PutObjectAsync(string name, ParsedCalendarObject data, WriteConditions conditions, CancellationToken ct);
    Task<WriteResult> DeleteObjectAsync(string name, WriteConditions conditions, CancellationToken ct);
}

/// <summary>A calendar whose own properties (and its objects' dead properties) can be changed, and which can be deleted.</summary>
public interface IManageableCalendar : ICalendar
{
    Task<bool> UpdatePropertiesAsync(CalendarPropertyChanges changes, CancellationToken ct);
    /// <summary>Changes an object's dead properties (see <see cref="ICalendarStore.UpdateObjectPropertiesAsync"/>).</summary>
    Task<WriteResult> UpdateObjectPropertiesAsync(string name, DeadPropertiesEdit edit, CancellationToken ct);
    Task<bool> DeleteAsync(CancellationToken ct);
}
