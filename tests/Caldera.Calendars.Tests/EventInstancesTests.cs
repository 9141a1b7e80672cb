using Caldera.Calendars.Query;

namespace Caldera.Calendars.Tests;

public sealed class EventInstancesTests
{
    static readonly DateTime Jan = new(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_series_yields_its_instances_in_range_without_excluded_dates_and_with_overrides()
    {
        var text = Ics.Calendar(
            Ics.Event("s", "DTSTART:20270104T090000Z", "DTEND:20270104T100000Z", "RRULE:FREQ=DAILY;COUNT=5", "EXDATE:20270105T090000Z", "SUMMARY:Daily"),
            Ics.Event("s", "RECURRENCE-ID:20270107T090000Z", "DTSTART:20270107T150000Z", "DTEND:20270107T160000Z", "SUMMARY:Moved"));
        var (instances, truncated) = EventInstances.Of(text, Jan, Jan.AddDays(31), 100);
        Assert.False(truncated);
        Assert.Equal(["2027-01-04T09:00:00Z", "2027-01-06T09:00:00Z", "2027-01-07T15:00:00Z", "2027-01-08T09:00:00Z"],
            instances.Select(i => EventInstance.Format(i.Start, i.AllDay)));
        Assert.Equal("Moved", instances[2].Title);
        Assert.Equal("2027-01-07T09:00:00Z", instances[2].RecurrenceId);
        Assert.Equal("2027-01-08T09:00:00Z", instances[3].RecurrenceId);
    }

    [Fact]
    public void Range_edges_limit_and_all_day_events()
    {
        var single = Ics.Calendar(Ics.Event("e", "DTSTART:20270110T230000Z", "DTEND:20270111T010000Z", "SUMMARY:Across midnight"));
        Assert.Single(EventInstances.Of(single, Jan.AddDays(10), Jan.AddDays(11), 10).Instances);
        Assert.Empty(EventInstances.Of(single, Jan.AddDays(10).AddHours(1), Jan.AddDays(10).AddHours(23), 10).Instances);
        Assert.Null(EventInstances.Of(single, Jan, Jan.AddDays(31), 10).Instances[0].RecurrenceId);

        var allDay = Ics.Calendar(Ics.Event("d", "DTSTART;VALUE=DATE:20270105", "SUMMARY:Holiday"));
        var day = Assert.Single(EventInstances.Of(allDay, Jan, Jan.AddDays(31), 10).Instances);
        Assert.True(day.AllDay);
        Assert.Equal(("2027-01-05", "2027-01-06"), (EventInstance.Format(day.Start, true), EventInstance.Format(day.End, true)));

        var hourly = Ics.Calendar(Ics.Event("h", "DTSTART:20270101T000000Z", "DURATION:PT10M", "RRULE:FREQ=HOURLY"));
        var (some, truncated) = EventInstances.Of(hourly, Jan, Jan.AddDays(2), 7);
        Assert.True(truncated);
        Assert.Equal(7, some.Count);
    }

    [Fact]
    public void Floating_times_lie_in_the_given_zone_and_text_is_unescaped()
    {
        var text = Ics.Calendar(Ics.Event("f", "DTSTART:20270110T090000", "DTEND:20270110T100000", "SUMMARY:<b>Bold</b>\\, really", "LOCATION:A\\;B"));
        var zone = FloatingTimeZone.FromId("Asia/Tokyo")!;
        var instance = Assert.Single(EventInstances.Of(text, Jan, Jan.AddDays(31), 10, zone).Instances);
        Assert.Equal("2027-01-10T00:00:00Z", EventInstance.Format(instance.Start, false));
        Assert.Equal("<b>Bold</b>, really", instance.Title);
        Assert.Equal("A;B", instance.Location);
    }
}
