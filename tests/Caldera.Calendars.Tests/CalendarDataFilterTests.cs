using Caldera.Calendars.Query;

namespace Caldera.Calendars.Tests;

/// <summary>RFC 4791 §9.6 calendar-data shaping and §7.10 free-busy on stored text.</summary>
public sealed class CalendarDataFilterTests
{
    static readonly string Tz = string.Join("\r\n",
        "BEGIN:VTIMEZONE", "TZID:Europe/Berlin",
        "BEGIN:STANDARD", "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "END:STANDARD",
        "BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "END:DAYLIGHT",
        "END:VTIMEZONE");

    /// <summary>Weekly on Mondays 10:00 Berlin (09:00Z in January) from 2024-01-01, the 15th excluded, the 22nd moved to 14:00.</summary>
    static readonly string Weekly = Ics.Calendar(Tz,
        Ics.Event("w", "DTSTART;TZID=Europe/Berlin:20240101T100000", "DTEND;TZID=Europe/Berlin:20240101T110000",
            "RRULE:FREQ=WEEKLY", "EXDATE;TZID=Europe/Berlin:20240115T100000", "SUMMARY:Weekly",
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT5M", "DESCRIPTION:soon", "END:VALARM"),
        Ics.Event("w", "RECURRENCE-ID;TZID=Europe/Berlin:20240122T100000", "DTSTART;TZID=Europe/Berlin:20240122T140000",
            "DTEND;TZID=Europe/Berlin:20240122T150000", "SUMMARY:Moved"),
        Ics.Event("w", "RECURRENCE-ID;TZID=Europe/Berlin:20240401T100000", "DTSTART;TZID=Europe/Berlin:20240401T120000",
            "DTEND;TZID=Europe/Berlin:20240401T130000", "SUMMARY:April"));

    static TimeRange Range(string start, string end) => new(Parse(start), Parse(end));

    static DateTime Parse(string s) => DateTime.SpecifyKind(DateTime.ParseExact(s, "yyyyMMdd'T'HHmmss'Z'", null), DateTimeKind.Utc);

    static List<List<string>> Components(string text, string name)
    {
        var result = new List<List<string>>();
        List<string>? current = null;
        int depth = 0;
        foreach (var line in text.Split("\r\n"))
        {
            if (line == "BEGIN:" + name && depth++ == 0) { current = []; continue; }
            if (line == "END:" + name && --depth == 0) { result.Add(current!); current = null; continue; }
            current?.Add(line);
        }
        return result;
    }

    [Fact]
    public void Whole_request_returns_the_stored_text_unchanged()
    {
        Assert.Same(Weekly, CalendarDataFilter.Apply(Weekly, CalendarDataRequest.Whole));
    }

    [Fact]
    public void Comp_and_prop_keep_only_what_is_named_and_the_vtimezone_a_kept_tzid_needs()
    {
        var request = new CalendarDataRequest(new CompSelection("VCALENDAR", false, [new PropSelection("VERSION", false)], false,
            [new CompSelection("VEVENT", false, [new PropSelection("UID", false), new PropSelection("DTSTART", false), new PropSelection("SUMMARY", true)], false, [])]));
        var text = CalendarDataFilter.Apply(Weekly, request);

        Assert.Contains("VERSION:2.0\r\n", text);
        Assert.DoesNotContain("PRODID", text);
        var events = Components(text, "VEVENT");
        Assert.Equal(3, events.Count);
        Assert.Equal(["UID:w", "DTSTART;TZID=Europe/Berlin:20240101T100000", "SUMMARY:"], events[0]);
        Assert.DoesNotContain("VALARM", text);
        Assert.DoesNotContain(events.SelectMany(e => e), l => l.StartsWith("RRULE"));
        // DTSTART keeps its TZID, so the VTIMEZONE it names stays although not asked for.
        Assert.Single(Components(text, "VTIMEZONE"));
    }

    [Fact]
    public void Allcomp_and_allprop_keep_subcomponents_whole()
    {
        var request = new CalendarDataRequest(new CompSelection("VCALENDAR", true, [], false,
            [new CompSelection("VEVENT", false, [new PropSelection("SUMMARY", false)], true, [])]));
        var text = CalendarDataFilter.Apply(Weekly, request);
        Assert.Contains("BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT5M\r\nDESCRIPTION:soon\r\nEND:VALARM", text);
        Assert.Contains("PRODID:-//Caldera//Tests//EN", text);
        Assert.Empty(Components(text, "VTIMEZONE")); // no kept property names a TZID
    }

    [Fact]
    public void Expand_gives_instances_in_utc_with_recurrence_ids_skipping_exdates_and_using_overrides()
    {
        var text = CalendarDataFilter.Apply(Weekly, new CalendarDataRequest(Expand: Range("20240101T000000Z", "20240129T000000Z")));
        var events = Components(text, "VEVENT");
        Assert.Equal(3, events.Count); // Jan 1, 8, 22 (moved); the 15th is excluded
        Assert.Contains("DTSTART:20240101T090000Z", events[0]);
        Assert.Contains("DTEND:20240101T100000Z", events[0]);
        Assert.Contains("RECURRENCE-ID:20240101T090000Z", events[0]);
        Assert.Contains("BEGIN:VALARM", events[0]);
        Assert.Contains("RECURRENCE-ID:20240108T090000Z", events[1]);
        Assert.Contains("DTSTART:20240122T130000Z", events[2]);
        Assert.Contains("RECURRENCE-ID:20240122T090000Z", events[2]);
        Assert.Contains("SUMMARY:Moved", events[2]);
        Assert.DoesNotContain("RRULE", text);
        Assert.DoesNotContain("EXDATE", text);
        Assert.DoesNotContain("TZID", text);
        Assert.DoesNotContain("20240115", text);
    }

    [Fact]
    public void Expand_of_an_endless_rule_stops_at_the_cap()
    {
        var minutely = Ics.Calendar(Ics.Event("m", "DTSTART:20240101T000000Z", "DURATION:PT1M", "RRULE:FREQ=MINUTELY"));
        var e = Assert.Throws<InstanceLimitException>(() =>
            CalendarDataFilter.Apply(minutely, new CalendarDataRequest(Expand: Range("20240101T000000Z", "20250101T000000Z")), 100));
        Assert.Equal(100, e.Limit);
        // A window holding fewer instances than the cap is fine.
        var hour = CalendarDataFilter.Apply(minutely, new CalendarDataRequest(Expand: Range("20240301T000000Z", "20240301T010000Z")), 100);
        Assert.Equal(60, Components(hour, "VEVENT").Count);
    }

    [Fact]
    public void Limit_recurrence_set_keeps_the_master_and_only_overrides_affecting_the_range()
    {
        var text = CalendarDataFilter.Apply(Weekly, new CalendarDataRequest(LimitRecurrenceSet: Range("20240120T000000Z", "20240127T000000Z")));
        var events = Components(text, "VEVENT");
        Assert.Equal(2, events.Count);
        Assert.Contains("RRULE:FREQ=WEEKLY", events[0]);
        Assert.Contains("SUMMARY:Moved", events[1]);
        Assert.DoesNotContain("SUMMARY:April", text);
        Assert.Single(Components(text, "VTIMEZONE"));
    }

    [Fact]
    public void Limit_freebusy_set_keeps_only_overlapping_periods()
    {
        var fb = Ics.Calendar("BEGIN:VFREEBUSY", "UID:fb", "DTSTAMP:20240101T000000Z",
            "FREEBUSY;FBTYPE=BUSY:20240101T100000Z/PT1H,20240105T100000Z/20240105T110000Z",
            "FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240110T100000Z/PT1H", "END:VFREEBUSY");
        var text = CalendarDataFilter.Apply(fb, new CalendarDataRequest(LimitFreeBusySet: Range("20240104T000000Z", "20240106T000000Z")));
        Assert.Contains("FREEBUSY;FBTYPE=BUSY:20240105T100000Z/20240105T110000Z\r\n", text);
        Assert.DoesNotContain("20240101T100000Z", text);
        Assert.DoesNotContain("BUSY-TENTATIVE", text);
    }

    [Fact]
    public void Free_busy_honours_transp_status_recurrence_and_vfreebusy_and_merges()
    {
        var busy = new List<BusyPeriod>();
        var start = Parse("20240101T000000Z");
        var end = Parse("20240201T000000Z");
        busy.AddRange(FreeBusyCalculator.Of(Weekly, start, end));
        busy.AddRange(FreeBusyCalculator.Of(Ics.Calendar(Ics.Event("t", "DTSTART:20240102T090000Z", "DTEND:20240102T100000Z", "STATUS:TENTATIVE")), start, end));
        busy.AddRange(FreeBusyCalculator.Of(Ics.Calendar(Ics.Event("c", "DTSTART:20240103T090000Z", "DTEND:20240103T100000Z", "STATUS:CANCELLED")), start, end));
        busy.AddRange(FreeBusyCalculator.Of(Ics.Calendar(Ics.Event("x", "DTSTART:20240104T090000Z", "DTEND:20240104T100000Z", "TRANSP:TRANSPARENT")), start, end));
        // Overlaps the first weekly instance (09:00–10:00Z): merged into 08:30–10:00Z.
        busy.AddRange(FreeBusyCalculator.Of(Ics.Calendar(Ics.Event("o", "DTSTART:20240101T083000Z", "DTEND:20240101T093000Z")), start, end));
        busy.AddRange(FreeBusyCalculator.Of(Ics.Calendar("BEGIN:VFREEBUSY", "UID:fb", "DTSTAMP:20240101T000000Z",
            "FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20240130T000000Z/PT2H", "FREEBUSY;FBTYPE=FREE:20240131T000000Z/PT2H", "END:VFREEBUSY"), start, end));

        var merged = FreeBusyCalculator.Merge(busy);
        Assert.Equal(
        [
            new BusyPeriod(Parse("20240101T083000Z"), Parse("20240101T100000Z"), "BUSY"),
            new BusyPeriod(Parse("20240102T090000Z"), Parse("20240102T100000Z"), "BUSY-TENTATIVE"),
            new BusyPeriod(Parse("20240108T090000Z"), Parse("20240108T100000Z"), "BUSY"),
            new BusyPeriod(Parse("20240122T130000Z"), Parse("20240122T140000Z"), "BUSY"),
            new BusyPeriod(Parse("20240129T090000Z"), Parse("20240129T100000Z"), "BUSY"),
            new BusyPeriod(Parse("20240130T000000Z"), Parse("20240130T020000Z"), "BUSY-UNAVAILABLE"),
        ], merged);

        var text = FreeBusyCalculator.ToICalendar(merged, start, end, start);
        Assert.Contains("BEGIN:VFREEBUSY\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T000000Z\r\nDTEND:20240201T000000Z\r\n", text);
        Assert.Contains("FREEBUSY:20240101T083000Z/20240101T100000Z\r\n", text);
        Assert.Contains("FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240102T090000Z/20240102T100000Z\r\n", text);
    }

    [Fact]
    public void Long_lines_are_folded_at_75_octets()
    {
        var summary = new string('x', 200);
        var text = CalendarDataFilter.Apply(Ics.Calendar(Ics.Event("l", "DTSTART:20240101T000000Z", "SUMMARY:" + summary)),
            new CalendarDataRequest(new CompSelection("VCALENDAR", false, [], false, [new CompSelection("VEVENT", false, [new PropSelection("SUMMARY", false)], false, [])])));
        Assert.All(text.Split("\r\n"), l => Assert.True(System.Text.Encoding.UTF8.GetByteCount(l) <= 75, l));
        Assert.Contains("SUMMARY:" + summary, text.Replace("\r\n ", ""));
    }
}
