namespace Caldera.Calendars.Query;

/// <summary>
/// What a CALDAV:calendar-data request element asks of each object (RFC 4791 §9.6): a selection of components
/// and properties, and at most one of expand, limit-recurrence-set (with limit-freebusy-set alongside).
/// All null means the stored body unchanged.
/// </summary>
public sealed record CalendarDataRequest(
    CompSelection? Comp = null,
    TimeRange? Expand = null,
    TimeRange? LimitRecurrenceSet = null,
    TimeRange? LimitFreeBusySet = null)
{
    public static readonly CalendarDataRequest Whole = new();

    public bool IsWhole => Comp is null && Expand is null && LimitRecurrenceSet is null && LimitFreeBusySet is null;

    /// <summary>Every time range the request names (for the CALDAV:min/max-date-time checks).</summary>
    public IEnumerable<TimeRange> Ranges => new[] { Expand, LimitRecurrenceSet, LimitFreeBusySet }.OfType<TimeRange>();
}

/// <summary>CALDAV:comp (RFC 4791 §9.6.1): which properties (allprop or named) and which subcomponents (allcomp or named).</summary>
public sealed record CompSelection(string Name, bool AllProperties, IReadOnlyList<PropSelection> Properties,
    bool AllComponents, IReadOnlyList<CompSelection> Components);

/// <summary>CALDAV:prop (RFC 4791 §9.6.4); <paramref name="NoValue"/> returns the property with an empty value.</summary>
public sealed record PropSelection(string Name, bool NoValue);

/// <summary>An expansion would produce more instances than the server allows (answered with CALDAV:max-instances).</summary>
public sealed class InstanceLimitException(int limit)
    : Exception($"the request would expand more than {limit} instances of one calendar object")
{
    public int Limit { get; } = limit;
}
