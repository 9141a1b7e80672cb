using System.Text.RegularExpressions;
using Caldera.Calendars.Registry;
using Caldera.Storage;

namespace Caldera.Calendars.Manager;

/// <summary>
/// What a calendar's name and client-set properties may be, wherever they come from (MKCALENDAR, PROPPATCH, the web page).
/// </summary>
public static partial class CalendarRules
{
    public const int MaxTextLength = 4096;

    /// <summary>The components of a calendar made without a supported-calendar-component-set.</summary>
    public static readonly IReadOnlyList<string> DefaultComponents = ["VEVENT", "VTODO"];

    /// <summary>A name a new calendar may take: a valid URL segment that does not look like a provider's calendar.</summary>
    public static bool IsAllowedName(string name) =>
        Names.IsValidSegment(name, Names.MaxCalendarName) && CalendarHome.IsCreatableName(name);

    /// <summary>Display name and description: bounded, no control characters but line breaks and tabs.</summary>
    public static bool IsValidText(string value) =>
        value.Length <= MaxTextLength && !value.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t');

    /// <summary>Apple's calendar-color: #RRGGBB or #RRGGBBAA.</summary>
    public static bool IsValidColor(string value) => ColorPattern().IsMatch(value);

    [GeneratedRegex("^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$")]
    private static partial Regex ColorPattern();
}
