using System.Xml.Linq;
using Caldera.Calendars.Providers.Store;
using Caldera.Dav.Properties;

namespace Caldera.Dav.Tests.Scheduling;

/// <summary>What PROPPATCH stores for schedule-calendar-transp is what the scheduler and free-busy read back.</summary>
public class ScheduleTransparencyTests
{
    static readonly XNamespace C = "urn:ietf:params:xml:ns:caldav";

    static string? Stored(string? current, string inner, bool remove = false)
    {
        var prop = XElement.Parse($"<C:schedule-calendar-transp xmlns:C=\"urn:ietf:params:xml:ns:caldav\">{inner}</C:schedule-calendar-transp>");
        var update = new DeadPropertyUpdate();
        update.Add(remove ? prop : ScheduleTransparencyProperty.Normalize(prop, out _)!, remove);
        Assert.True(update.Edit(current, out var updated));
        return updated;
    }

    [Fact]
    public void Transparent_round_trips_through_the_dead_property_store()
    {
        var transparent = Stored(null, "<C:transparent/>");
        Assert.True(ScheduleTransparency.IsTransparent(transparent));
        var opaque = Stored(transparent, "<C:opaque />");
        Assert.False(ScheduleTransparency.IsTransparent(opaque));
        Assert.False(ScheduleTransparency.IsTransparent(Stored(transparent, "", remove: true)));
        Assert.False(ScheduleTransparency.IsTransparent((string?)null));
        Assert.False(ScheduleTransparency.IsTransparent("<not xml"));
    }

    [Theory]
    [InlineData("<C:transparent/>", true)]
    [InlineData("  <C:opaque/>  ", true)]
    [InlineData("<C:transparent>x</C:transparent>", true)]
    [InlineData("", false)]
    [InlineData("<C:opaque/><C:transparent/>", false)]
    [InlineData("<D:transparent xmlns:D=\"DAV:\"/>", false)]
    [InlineData("text<C:opaque/>", false)]
    [InlineData("text<C:transparent/>", false)]
    public void Only_one_of_the_two_values_is_accepted(string inner, bool valid)
    {
        var prop = XElement.Parse($"<C:schedule-calendar-transp xmlns:C=\"urn:ietf:params:xml:ns:caldav\">{inner}</C:schedule-calendar-transp>");
        var normalized = ScheduleTransparencyProperty.Normalize(prop, out var reason);
        Assert.Equal(valid, normalized is not null);
        Assert.Equal(valid, reason is null);
        if (normalized is not null)
            Assert.Single(normalized.Elements()); // stored without the client's extras
    }
}
