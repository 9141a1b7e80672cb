namespace Caldera.Calendars.Query;

/// <summary>A CALDAV:time-range; either bound may be open (RFC 4791 §9.9).</summary>
public sealed record TimeRange(DateTime? Start, DateTime? End)
{
    public DateTime StartOrMin => Start ?? DateTime.MinValue;
    public DateTime EndOrMax => End ?? DateTime.MaxValue;
}

/// <summary>CALDAV:text-match with its collation (RFC 4791 §9.7.5).</summary>
public sealed record TextMatch(string Value, string Collation, bool Negate);

/// <summary>CALDAV:comp-filter (RFC 4791 §9.7.1).</summary>
public sealed record CompFilter(string Name, bool IsNotDefined, TimeRange? TimeRange,
    IReadOnlyList<PropFilter> PropFilters, IReadOnlyList<CompFilter> CompFilters);

/// <summary>CALDAV:prop-filter (RFC 4791 §9.7.2).</summary>
public sealed record PropFilter(string Name, bool IsNotDefined, TimeRange? TimeRange, TextMatch? TextMatch,
    IReadOnlyList<ParamFilter> ParamFilters);

/// <summary>CALDAV:param-filter (RFC 4791 §9.7.3).</summary>
public sealed record ParamFilter(string Name, bool IsNotDefined, TextMatch? TextMatch);
