using Caldera.Storage;

namespace Caldera.Calendars.Query;

/// <summary>
/// What of a calendar-query filter the index can answer: the one component kind it asks for and that
/// component's time range. Everything else is left to <see cref="FilterEvaluator"/> on the candidates.
/// </summary>
public static class QueryPlanner
{
    public static ObjectQuery Plan(CompFilter root)
    {
        // Only a single, positive component filter narrows the kind: two would each have to hold, and a
        // negative one (is-not-defined) is answered by what an object lacks, which the index does not know.
        if (root.IsNotDefined || root.CompFilters.Count != 1 || root.CompFilters[0] is not { IsNotDefined: false } component)
            return ObjectQuery.All;
        var range = component.TimeRange;
        return new ObjectQuery(component.Name,
            range?.Start is { } s ? new DateTimeOffset(s, TimeSpan.Zero) : null,
            range?.End is { } e ? new DateTimeOffset(e, TimeSpan.Zero) : null);
    }
}
