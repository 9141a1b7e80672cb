using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;

namespace Caldera.Calendars;

/// <summary>
/// Turns a PUT body into a <see cref="ParsedCalendarObject"/> or a <see cref="CalendarDataException"/> that names
/// the RFC 4791 §5.3.2 precondition it breaks. Nothing is stored before this has passed.
/// </summary>
public static class CalendarObjectParser
{
    public static readonly IReadOnlyList<string> KnownComponents = ["VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY"];

    /// <summary>How many instances are expanded to find the end of a recurrence set before calling it open-ended.</summary>
    const int EnvelopeInstanceLimit = 5000;

    /// <summary>
    /// The most instances a recurrence set with COUNT may have (CALDAV:max-instances, RFC 4791 §5.2.8): a COUNT
    /// cannot be jumped over, so each later query walks it from DTSTART.
    /// </summary>
    public const int MaxInstances = 10000;

    /// <summary>Bounds Ical.Net's search for rules that never match (e.g. BYMONTHDAY=30 in February).</summary>
    public static readonly EvaluationOptions Evaluation = new() { MaxUnmatchedIncrementsLimit = 1000 };

    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="body">The body as sent; a UTF-8 BOM is dropped, so the stored body (and its ETag) is the body without it.</param>
    public static ParsedCalendarObject Parse(byte[] body, IReadOnlyCollection<string> supportedComponents)
    {
        if (CalendarText.HasForeignBom(body))
            throw new CalendarDataException(CalendarDataError.UnsupportedMediaType, "calendar data must be UTF-8, not UTF-16 or UTF-32");
        body = CalendarText.WithoutBom(body);
        var text = Decode(body);
        var topLevel = ICalendarLineScanner.Scan(text);
        Calendar calendar;
        try
        {
            calendar = Calendar.Load(text) ?? throw new CalendarDataException(CalendarDataError.InvalidData, "no VCALENDAR");
        }
        catch (CalendarDataException) { throw; }
        catch (Exception e)
        {
            throw new CalendarDataException(CalendarDataError.InvalidData, "iCalendar could not be parsed: " + e.Message);
        }

        if (!string.IsNullOrEmpty(calendar.Method))
            throw new CalendarDataException(CalendarDataError.InvalidObjectResource, "a calendar object resource must not carry METHOD");

        var kinds = topLevel.Where(n => n != "VTIMEZONE").Distinct().ToList();
        if (kinds.Count == 0)
            throw new CalendarDataException(CalendarDataError.InvalidObjectResource, "no VEVENT, VTODO, VJOURNAL or VFREEBUSY");
        if (kinds.Count > 1)
            throw new CalendarDataException(CalendarDataError.InvalidObjectResource, "more than one kind of component: " + string.Join(", ", kinds));
        var kind = kinds[0];
        if (!KnownComponents.Contains(kind) || !supportedComponents.Contains(kind, StringComparer.OrdinalIgnoreCase))
            throw new CalendarDataException(CalendarDataError.UnsupportedComponent, $"this calendar does not take {kind}");

        var items = calendar.Children.OfType<CalendarComponent>().Where(c => c.Name.Equals(kind, StringComparison.OrdinalIgnoreCase)).ToList();
        var uids = items.Select(i => i.Properties.Get<string>("UID")).Distinct().ToList();
        if (uids.Count != 1 || string.IsNullOrWhiteSpace(uids[0]) || !EveryComponentHasUid(text, kind))
            throw new CalendarDataException(CalendarDataError.InvalidObjectResource, "all components must carry one and the same UID");

        var recurring = calendar.Children.OfType<RecurringComponent>().Where(c => c.Name.Equals(kind, StringComparison.OrdinalIgnoreCase)).ToList();
        using var zones = ObjectTimeZones.Use(calendar); // the index's envelope is placed by the object's own VTIMEZONEs
        CheckInstances(recurring, kind);
        RecurrenceLimits.Check(recurring);
        var (start, end, single) = Envelope(calendar, kind, recurring);
        var isRecurring = recurring.Any(r => r.RecurrenceRule is not null || r.RecurrenceDates.GetAllDates().Any() || r.RecurrenceIdentifier is not null);
        return new ParsedCalendarObject
        {
            Body = body,
            Calendar = calendar,
            Uid = uids[0]!,
            Component = kind,
            Recurring = isRecurring,
            RangeStart = start,
            RangeEnd = end,
            // Only a lone VEVENT: the envelope then is its one instance, with no slack (nothing floats).
            EnvelopeExact = kind == "VEVENT" && !isRecurring && items.Count == 1 && single is not null && ExactEnvelope.Holds(single)
                && start == Utc(single.Period.StartTime.AsUtc) && end == Utc(single.Period.EffectiveEndTime!.AsUtc),
        };
    }

    static string Decode(byte[] body)
    {
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new CalendarDataException(CalendarDataError.InvalidData, "the body is not UTF-8");
        }
    }

    /// <summary>
    /// Ical.Net invents a random UID for a component that has none, so the UID's presence is checked on the text:
    /// every top-level component of the object's kind needs a non-empty UID line (RFC 4791 §4.1, RFC 5545 §3.6.1).
    /// </summary>
    static bool EveryComponentHasUid(string text, string kind)
    {
        int depth = 0;
        bool inItem = false, hasUid = false;
        foreach (var line in ICalendarLineScanner.Unfold(text))
        {
            var nameEnd = line.IndexOfAny([';', ':']);
            var colon = line.IndexOf(':');
            if (nameEnd <= 0 || colon < 0)
                continue;
            var name = line[..nameEnd].ToUpperInvariant();
            if (name == "BEGIN")
            {
                if (++depth == 2 && line[(colon + 1)..].Trim().Equals(kind, StringComparison.OrdinalIgnoreCase))
                    (inItem, hasUid) = (true, false);
            }
            else if (name == "END")
            {
                if (depth-- == 2 && inItem)
                {
                    if (!hasUid)
                        return false;
                    inItem = false;
                }
            }
            else if (inItem && depth == 2 && name == "UID" && !string.IsNullOrWhiteSpace(line[(colon + 1)..]))
                hasUid = true;
        }
        return true;
    }

    /// <summary>One master at most, distinct RECURRENCE-IDs, and the dates RFC 5545 requires.</summary>
    static void CheckInstances(List<RecurringComponent> items, string kind)
    {
        if (items.Count(i => i.RecurrenceIdentifier is null) > 1)
            throw new CalendarDataException(CalendarDataError.InvalidObjectResource, "more than one component without RECURRENCE-ID for one UID");
        var ids = items.Where(i => i.RecurrenceIdentifier is not null).Select(i => i.RecurrenceIdentifier!.StartTime.AsUtc).ToList();
        if (ids.Count != ids.Distinct().Count())
            throw new CalendarDataException(CalendarDataError.InvalidObjectResource, "two instances share a RECURRENCE-ID");
        foreach (var item in items)
        {
            if (kind == "VEVENT" && item.DtStart is null)
                throw new CalendarDataException(CalendarDataError.InvalidData, "VEVENT without a valid DTSTART");
            if (item is CalendarEvent e && e.DtEnd is not null && e.DtStart is not null && e.DtEnd.AsUtc < e.DtStart.AsUtc)
                throw new CalendarDataException(CalendarDataError.InvalidData, "DTEND is before DTSTART");
            if (item.Properties.ContainsKey("DTEND") && item.Properties.ContainsKey("DURATION"))
                throw new CalendarDataException(CalendarDataError.InvalidData, "both DTEND and DURATION");
        }
    }

    /// <summary>
    /// The UTC span that holds every instance. Floating and all-day times move with the viewer's time zone,
    /// so their envelope is widened by the largest UTC offsets (±14 h).
    /// </summary>
    /// <returns>The envelope, and the one instance when there is exactly one.</returns>
    static (DateTimeOffset? Start, DateTimeOffset? End, Occurrence? Single) Envelope(Calendar calendar, string kind, List<RecurringComponent> items)
    {
        if (items.Count == 0 || items.All(i => i.DtStart is null))
            return (null, null, null);
        var slack = items.Any(i => i.DtStart is { IsFloating: true }) ? Query.FloatingTimeZone.WidestOffset : TimeSpan.Zero;
        DateTime? first = null, last = null;
        Occurrence? single = null;
        int n = 0;
        try
        {
            foreach (var occurrence in Instances.Of(calendar, null, Evaluation))
            {
                if (occurrence.Source is not CalendarComponent c || !c.Name.Equals(kind, StringComparison.OrdinalIgnoreCase))
                    continue;
                var s = occurrence.Period.StartTime.AsUtc;
                var e = occurrence.Period.EffectiveEndTime?.AsUtc ?? s;
                first = first is null || s < first ? s : first;
                last = last is null || e > last ? e : last;
                single = n == 0 ? occurrence : null;
                if (++n >= EnvelopeInstanceLimit)
                    return (Utc(first) - slack, null, null);
            }
        }
        catch (Exception e) when (e is not CalendarDataException)
        {
            throw new CalendarDataException(CalendarDataError.InvalidData, "the recurrence could not be evaluated: " + e.Message);
        }
        if (first is null)
            return (null, null, null);
        return (Utc(first) - slack, Utc(last) + slack, single);
    }

    static DateTimeOffset? Utc(DateTime? value) =>
        value is null ? null : new DateTimeOffset(DateTime.SpecifyKind(value.Value, DateTimeKind.Utc));
}
