using System.Xml.Linq;
using Caldera.Calendars.Query;
using Caldera.Dav.Reports;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Tests;

public class FilterParserTests
{
    const string Ns = "xmlns:C=\"urn:ietf:params:xml:ns:caldav\"";

    static CompFilter Parse(string inner) => FilterParser.Parse(XElement.Parse($"<C:filter {Ns}>{inner}</C:filter>"));

    static DavException Refused(string inner) => Assert.Throws<DavException>(() => Parse(inner));

    static void InvalidFilter(string inner)
    {
        var e = Refused(inner);
        Assert.Equal(400, e.Status);
        Assert.Equal(C + "valid-filter", e.Condition?.Name);
    }

    static string Cal(string inner) => $"<C:comp-filter name=\"VCALENDAR\">{inner}</C:comp-filter>";

    [Fact]
    public void NestedFilter()
    {
        var filter = Parse(Cal("""
            <C:comp-filter name="VEVENT">
              <C:time-range start="20240101T000000Z" end="20240201T120000Z"/>
              <C:prop-filter name="SUMMARY">
                <C:text-match collation="i;octet" negate-condition="yes">Lunch</C:text-match>
              </C:prop-filter>
              <C:prop-filter name="ATTENDEE">
                <C:param-filter name="PARTSTAT"><C:text-match>ACCEPTED</C:text-match></C:param-filter>
                <C:param-filter name="ROLE"><C:is-not-defined/></C:param-filter>
              </C:prop-filter>
              <C:prop-filter name="location"><C:is-not-defined/></C:prop-filter>
              <C:comp-filter name="VALARM"><C:is-not-defined/></C:comp-filter>
            </C:comp-filter>
            """));
        Assert.Equal("VCALENDAR", filter.Name);
        var vevent = Assert.Single(filter.CompFilters);
        Assert.Equal("VEVENT", vevent.Name);
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), vevent.TimeRange!.Start);
        Assert.Equal(new DateTime(2024, 2, 1, 12, 0, 0, DateTimeKind.Utc), vevent.TimeRange.End);
        Assert.Equal(DateTimeKind.Utc, vevent.TimeRange.Start!.Value.Kind);
        Assert.Equal(3, vevent.PropFilters.Count);
        Assert.Equal(new TextMatch("Lunch", "i;octet", true), vevent.PropFilters[0].TextMatch);
        var attendee = vevent.PropFilters[1];
        Assert.Equal("PARTSTAT", attendee.ParamFilters[0].Name);
        Assert.Equal(new TextMatch("ACCEPTED", "i;ascii-casemap", false), attendee.ParamFilters[0].TextMatch);
        Assert.True(attendee.ParamFilters[1].IsNotDefined);
        Assert.Equal("LOCATION", vevent.PropFilters[2].Name);
        Assert.True(vevent.PropFilters[2].IsNotDefined);
        Assert.True(Assert.Single(vevent.CompFilters).IsNotDefined);
    }

    [Fact]
    public void OpenEndedTimeRanges()
    {
        var start = Parse(Cal("<C:comp-filter name=\"VTODO\"><C:time-range start=\"20240101T000000Z\"/></C:comp-filter>"));
        Assert.Null(start.CompFilters[0].TimeRange!.End);
        var end = Parse(Cal("<C:comp-filter name=\"VTODO\"><C:time-range end=\"20240101T000000Z\"/></C:comp-filter>"));
        Assert.Null(end.CompFilters[0].TimeRange!.Start);
    }

    [Fact]
    public void MissingFilterIsInvalid()
    {
        var e = Assert.Throws<DavException>(() => FilterParser.Parse(null));
        Assert.Equal(400, e.Status);
        Assert.Equal(C + "valid-filter", e.Condition?.Name);
    }

    [Fact] public void EmptyFilter() => InvalidFilter("");
    [Fact] public void TwoTopLevelCompFilters() => InvalidFilter(Cal("") + Cal(""));
    [Fact] public void OuterCompFilterMustBeVcalendar() => InvalidFilter("<C:comp-filter name=\"VEVENT\"/>");
    [Fact] public void EndBeforeStart() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:time-range start=\"20240201T000000Z\" end=\"20240101T000000Z\"/></C:comp-filter>"));
    [Fact] public void EndEqualToStart() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:time-range start=\"20240201T000000Z\" end=\"20240201T000000Z\"/></C:comp-filter>"));
    [Fact] public void TimeRangeWithoutBounds() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:time-range/></C:comp-filter>"));

    [Theory]
    [InlineData("2024-01-01T00:00:00Z")]
    [InlineData("20240101T000000")]
    [InlineData("20240101")]
    [InlineData("20241301T000000Z")]
    [InlineData("20240101T250000Z")]
    [InlineData("tomorrow")]
    public void BadDateFormat(string value) =>
        InvalidFilter(Cal($"<C:comp-filter name=\"VEVENT\"><C:time-range start=\"{value}\"/></C:comp-filter>"));

    [Fact] public void MissingCompName() => InvalidFilter(Cal("<C:comp-filter/>"));
    [Fact] public void EmptyPropName() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"\"/></C:comp-filter>"));
    [Fact] public void MissingParamName() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"ATTENDEE\"><C:param-filter/></C:prop-filter></C:comp-filter>"));
    [Fact] public void BadCharactersInName() => InvalidFilter(Cal("<C:comp-filter name=\"V EVENT\"/>"));
    [Fact] public void UnknownElementInCompFilter() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:bogus/></C:comp-filter>"));
    [Fact] public void UnknownElementInPropFilter() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"SUMMARY\"><C:bogus/></C:prop-filter></C:comp-filter>"));
    [Fact] public void UnknownElementInParamFilter() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"ATTENDEE\"><C:param-filter name=\"CN\"><C:bogus/></C:param-filter></C:prop-filter></C:comp-filter>"));
    [Fact] public void ElementInAnotherNamespace() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><x:time-range xmlns:x=\"urn:other\"/></C:comp-filter>"));
    [Fact] public void TimeRangeOnVcalendar() => InvalidFilter("<C:comp-filter name=\"VCALENDAR\"><C:time-range start=\"20240101T000000Z\"/></C:comp-filter>");
    [Fact] public void BadNegateCondition() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"SUMMARY\"><C:text-match negate-condition=\"maybe\">x</C:text-match></C:prop-filter></C:comp-filter>"));

    [Fact] public void CompIsNotDefinedWithTimeRange() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:is-not-defined/><C:time-range start=\"20240101T000000Z\"/></C:comp-filter>"));
    [Fact] public void CompIsNotDefinedWithPropFilter() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:is-not-defined/><C:prop-filter name=\"SUMMARY\"/></C:comp-filter>"));

    // RFC 4791 §9.7.2: <!ELEMENT prop-filter (is-not-defined | ((time-range | text-match)?, param-filter*))>
    [Fact] public void PropIsNotDefinedWithTextMatch() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"SUMMARY\"><C:is-not-defined/><C:text-match>x</C:text-match></C:prop-filter></C:comp-filter>"));
    [Fact] public void PropIsNotDefinedWithParamFilter() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"ATTENDEE\"><C:is-not-defined/><C:param-filter name=\"CN\"/></C:prop-filter></C:comp-filter>"));
    [Fact] public void PropTimeRangeAndTextMatch() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"DTSTART\"><C:time-range start=\"20240101T000000Z\"/><C:text-match>x</C:text-match></C:prop-filter></C:comp-filter>"));
    [Fact] public void PropTwoTextMatches() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"SUMMARY\"><C:text-match>x</C:text-match><C:text-match>y</C:text-match></C:prop-filter></C:comp-filter>"));
    [Fact] public void CompTwoTimeRanges() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:time-range start=\"20240101T000000Z\"/><C:time-range end=\"20240101T000000Z\"/></C:comp-filter>"));

    // RFC 4791 §9.7.3: <!ELEMENT param-filter (is-not-defined | text-match)?>
    [Fact] public void ParamIsNotDefinedWithTextMatch() => InvalidFilter(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"ATTENDEE\"><C:param-filter name=\"CN\"><C:is-not-defined/><C:text-match>x</C:text-match></C:param-filter></C:prop-filter></C:comp-filter>"));

    [Fact]
    public void TooDeep()
    {
        var inner = "";
        for (int i = 0; i < 8; i++)
            inner = $"<C:comp-filter name=\"X-LEVEL{i}\">{inner}</C:comp-filter>";
        InvalidFilter(Cal(inner));
    }

    [Fact]
    public void ReasonableDepthIsFine()
    {
        var filter = Parse(Cal("<C:comp-filter name=\"VEVENT\"><C:comp-filter name=\"VALARM\"/></C:comp-filter>"));
        Assert.Equal("VALARM", filter.CompFilters[0].CompFilters[0].Name);
    }

    [Fact]
    public void UnknownCollationIsForbidden()
    {
        var e = Refused(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"SUMMARY\"><C:text-match collation=\"i;klingon\">x</C:text-match></C:prop-filter></C:comp-filter>"));
        Assert.Equal(403, e.Status);
        Assert.Equal(C + "supported-collation", e.Condition?.Name);
    }

    [Fact]
    public void UnknownCollationInParamFilterIsForbidden()
    {
        var e = Refused(Cal("<C:comp-filter name=\"VEVENT\"><C:prop-filter name=\"ATTENDEE\"><C:param-filter name=\"CN\"><C:text-match collation=\"x;bogus\">x</C:text-match></C:param-filter></C:prop-filter></C:comp-filter>"));
        Assert.Equal(403, e.Status);
        Assert.Equal(C + "supported-collation", e.Condition?.Name);
    }
}

/// <summary>Filters the fuzzer found too costly (tests/fuzz/corpus/filter/cost-1781-repeated-time-range-filters.xml).</summary>
public class FilterParserLimitTests
{
    /// <summary>The documented limit (README), FilterParser.MaxTests.</summary>
    const int Limit = 100;

    static string Filter(int tests) =>
        "<C:filter xmlns:C=\"urn:ietf:params:xml:ns:caldav\"><C:comp-filter name=\"VCALENDAR\">"
        + string.Concat(Enumerable.Repeat("<C:comp-filter name=\"VEVENT\"><C:time-range start=\"20260101T000000Z\" end=\"20260201T000000Z\"/></C:comp-filter>", tests - 1))
        + "</C:comp-filter></C:filter>";

    [Fact]
    public void A_filter_of_many_repeated_tests_is_refused_as_invalid()
    {
        var e = Assert.Throws<DavException>(() => FilterParser.Parse(XElement.Parse(Filter(Limit + 1))));
        Assert.Equal(400, e.Status);
        Assert.Equal(C + "valid-filter", e.Condition?.Name);
    }

    [Fact]
    public void A_filter_at_the_limit_is_read() =>
        Assert.Equal(Limit - 1, FilterParser.Parse(XElement.Parse(Filter(Limit))).CompFilters.Count);
}
