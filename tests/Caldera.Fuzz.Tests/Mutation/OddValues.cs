namespace Caldera.Fuzz.Tests.Mutation;

/// <summary>Values that break parsers: empty, huge, negative, out of range, badly encoded, the wrong type.</summary>
public static class OddValues
{
    public static readonly string[] Common =
    [
        "", " ", "0", "-1", "1", "2147483648", "-2147483649", "99999999999999999999999999", "1e308", "NaN", "0x10",
        "yes", "no", "true", "\t", "é", "\uD83D\uDCA5", "\u202E", "%00", "../../../", "/", "//", "http://127.0.0.1:1/x",
        "mailto:", "urn:x", new string('A', 10_000), new string('9', 400), "a,b,,c", ";;;", "\\", "\"", "'",
    ];

    /// <summary>Dates, times, durations and periods, valid and not, at and past every edge.</summary>
    public static readonly string[] Temporal =
    [
        "20260101T000000Z", "20260101T000000", "20260101", "2026-01-01T00:00:00Z", "20261301T000000Z", "20260230T000000Z",
        "20260101T250000Z", "20260101T000060Z", "00010101T000000Z", "00000000T000000Z", "99991231T235959Z", "18991231T235959Z",
        "21010101T000000Z", "19000101T000000Z", "21001231T235959Z", "20260101T000000+0100", "20260101TZ", "T", "Z",
        "P1D", "-P1D", "PT0S", "P", "PT", "P1Y", "P1W2D", "P99999999D", "-P99999999W", "PT1H1H", "20260101T000000Z/PT1H",
        "20260101T000000Z/20250101T000000Z", "20260101T000000Z/", "/PT1H",
    ];

    /// <summary>RRULE values: each part alone out of range, and cheap-to-write expensive-to-expand rules.</summary>
    public static readonly string[] Rules =
    [
        "FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=1", "FREQ=SECONDLY;BYSECOND=0,1,2,3,4,5,6,7,8,9;BYMINUTE=0,1,2,3,4,5",
        "FREQ=DAILY;COUNT=2147483647", "FREQ=DAILY;COUNT=-1", "FREQ=DAILY;COUNT=0", "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-5", "FREQ=YEARLY;BYMONTH=13", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=MONTHLY;BYMONTHDAY=-32", "FREQ=YEARLY;BYYEARDAY=367", "FREQ=YEARLY;BYWEEKNO=54", "FREQ=YEARLY;BYWEEKNO=0",
        "FREQ=WEEKLY;BYDAY=XX", "FREQ=MONTHLY;BYDAY=99MO", "FREQ=MONTHLY;BYDAY=-0MO", "FREQ=MONTHLY;BYSETPOS=0",
        "FREQ=MONTHLY;BYSETPOS=367", "FREQ=DAILY;UNTIL=20250101T000000Z", "FREQ=DAILY;UNTIL=99991231", "FREQ=DAILY;UNTIL=bad",
        "FREQ=DAILY;COUNT=5;UNTIL=20270101T000000Z", "FREQ=BOGUS", "FREQ=", "", "COUNT=3", "FREQ=DAILY;;", "FREQ=DAILY;X-NAME=1",
        "FREQ=HOURLY;BYHOUR=25", "FREQ=MINUTELY;BYMINUTE=60", "FREQ=YEARLY;BYDAY=-53MO", "FREQ=YEARLY;BYDAY=53SU;BYMONTH=1",
        "FREQ=DAILY;WKST=XX", "FREQ=SECONDLY;INTERVAL=2147483647", "FREQ=YEARLY;INTERVAL=1000;COUNT=10",
        "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=2,4,6,9,11", "RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=FORWARD",
    ];

    public static readonly string[] Charsets =
        ["utf-8", "UTF-8", "iso-8859-1", "windows-1252", "utf-16", "utf-7", "us-ascii", "x-unknown", "", "utf-8\"; x=\"", "gb18030", "shift_jis"];

    public static readonly string[] TransferEncodings =
        ["base64", "quoted-printable", "7bit", "8bit", "binary", "x-uuencode", "bogus", "", "BASE64 ", "base64;x"];

    public static readonly string[] ContentTypes =
    [
        "text/calendar; method=REQUEST; charset=utf-8", "text/calendar", "text/calendar; method=", "text/calendar; method=BOGUS",
        "multipart/mixed", "multipart/alternative; boundary=", "multipart/mixed; boundary=\"\"", "message/rfc822",
        "application/ics", "text/plain", "application/octet-stream", "multipart/related; boundary=x; type=text/calendar", "/", "",
    ];
}
