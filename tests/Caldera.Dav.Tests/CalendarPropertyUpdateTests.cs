using System.Xml.Linq;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Tests;

public class CalendarPropertyUpdateTests
{
    static XElement Prop(XName name, params object?[] content) => new(name, content);

    static readonly string OneTimeZone = string.Join("\r\n",
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:x",
        "BEGIN:VTIMEZONE", "TZID:Europe/Paris",
        "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "END:STANDARD",
        "END:VTIMEZONE", "END:VCALENDAR", "");

    static CalendarPropertyUpdate Set(bool creating, params XElement[] props)
    {
        var update = new CalendarPropertyUpdate();
        foreach (var p in props)
            update.Apply(p, remove: false, creating);
        return update;
    }

    static Propstat StatusOf(CalendarPropertyUpdate update, XName name) =>
        update.Propstats().Single(p => p.Properties.Any(x => x.Name == name));

    [Fact]
    public void ValidSetsBecomeChanges()
    {
        var update = Set(false,
            Prop(D + "displayname", "Work"),
            Prop(C + "calendar-description", "Things to do\nat work"),
            Prop(ICAL + "calendar-color", "#FF8800"),
            Prop(ICAL + "calendar-order", " -3 "),
            Prop(C + "calendar-timezone", OneTimeZone));
        Assert.False(update.Failed);
        var changes = update.Changes;
        Assert.Equal("Work", changes.DisplayName);
        Assert.Equal("Things to do\nat work", changes.Description);
        Assert.Equal("#FF8800", changes.Color);
        Assert.Equal(-3, changes.Order);
        Assert.Equal(OneTimeZone, changes.TimeZone);
        Assert.Empty(changes.Removed);
        var ok = Assert.Single(update.Propstats());
        Assert.Equal(200, ok.Status);
        Assert.Equal(5, ok.Properties.Count);
        Assert.All(ok.Properties, p => Assert.Empty(p.Nodes()));
    }

    [Fact]
    public void ColorWithAlphaIsAccepted()
    {
        Assert.Equal("#11223344", Set(false, Prop(ICAL + "calendar-color", "#11223344")).Changes.Color);
    }

    [Fact]
    public void RemovalsAreListed()
    {
        var update = new CalendarPropertyUpdate();
        update.Apply(Prop(D + "displayname"), remove: true, creating: false);
        update.Apply(Prop(ICAL + "calendar-color"), remove: true, creating: false);
        update.Apply(Prop(C + "calendar-timezone"), remove: true, creating: false);
        Assert.False(update.Failed);
        Assert.Equal(["Color", "DisplayName", "TimeZone"], update.Changes.Removed.Order());
    }

    [Fact]
    public void LaterInstructionWinsRemoveThenSet()
    {
        // RFC 4918 §9.2: instructions are applied in document order.
        var update = new CalendarPropertyUpdate();
        update.Apply(Prop(D + "displayname"), remove: true, creating: false);
        update.Apply(Prop(D + "displayname", "Again"), remove: false, creating: false);
        Assert.Equal("Again", update.Changes.DisplayName);
        Assert.DoesNotContain("DisplayName", update.Changes.Removed);
    }

    [Fact]
    public void ProtectedPropertyFailsWith403AndTheRestWith424()
    {
        var update = Set(false,
            Prop(D + "displayname", "Work"),
            Prop(D + "getetag", "\"x\""),
            Prop(ICAL + "calendar-color", "#FF8800"));
        Assert.True(update.Failed);
        var forbidden = StatusOf(update, D + "getetag");
        Assert.Equal(403, forbidden.Status);
        Assert.Equal(D + "cannot-modify-protected-property", forbidden.Error?.Name);
        Assert.Single(forbidden.Properties);
        var dependent = StatusOf(update, D + "displayname");
        Assert.Equal(424, dependent.Status);
        Assert.Contains(dependent.Properties, p => p.Name == ICAL + "calendar-color");
        Assert.DoesNotContain(update.Propstats(), p => p.Status == 200);
    }

    [Theory]
    [InlineData("DAV:", "resourcetype")]
    [InlineData("DAV:", "getcontentlength")]
    [InlineData("DAV:", "sync-token")]
    [InlineData("DAV:", "current-user-privilege-set")]
    [InlineData("urn:ietf:params:xml:ns:caldav", "supported-calendar-component-set")]
    [InlineData("urn:ietf:params:xml:ns:caldav", "supported-calendar-data")]
    [InlineData("urn:ietf:params:xml:ns:caldav", "max-resource-size")]
    [InlineData("http://calendarserver.org/ns/", "getctag")]
    public void ProtectedProperties(string ns, string local)
    {
        var update = Set(false, Prop(XName.Get(local, ns), "x"));
        var failure = Assert.Single(update.Propstats());
        Assert.Equal(403, failure.Status);
        Assert.Equal(D + "cannot-modify-protected-property", failure.Error?.Name);
    }

    [Fact]
    public void ComponentSetOnlyAtCreation()
    {
        var set = Prop(C + "supported-calendar-component-set",
            new XElement(C + "comp", new XAttribute("name", "VTODO")), new XElement(C + "comp", new XAttribute("name", "vevent")));
        var creating = Set(true, set);
        Assert.False(creating.Failed);
        Assert.Equal(["VTODO", "VEVENT"], creating.Components);
        var later = Set(false, set);
        Assert.True(later.Failed);
        Assert.Null(later.Components);
        Assert.Equal(403, Assert.Single(later.Propstats()).Status);
    }

    [Fact]
    public void UnknownComponentInTheSetFails()
    {
        var update = Set(true, Prop(C + "supported-calendar-component-set",
            new XElement(C + "comp", new XAttribute("name", "VEVENT")), new XElement(C + "comp", new XAttribute("name", "VALARM"))));
        Assert.True(update.Failed);
        Assert.Equal(C + "supported-calendar-component", Assert.Single(update.Propstats()).Error?.Name);
        Assert.True(Set(true, Prop(C + "supported-calendar-component-set")).Failed);
    }

    [Fact]
    public void ResourceTypeAtCreationMustBeACalendarCollection()
    {
        Assert.False(Set(true, Prop(D + "resourcetype", new object[] { new XElement(D + "collection"), new XElement(C + "calendar") })).Failed);
        var plain = Set(true, Prop(D + "resourcetype", new XElement(D + "collection")));
        Assert.True(plain.Failed);
        Assert.Equal(D + "valid-resourcetype", Assert.Single(plain.Propstats()).Error?.Name);
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#FF88")]
    [InlineData("#GG0000")]
    [InlineData("FF8800")]
    [InlineData("#FF880")]
    [InlineData("")]
    public void BadColorFails(string color)
    {
        var update = Set(false, Prop(ICAL + "calendar-color", color), Prop(D + "displayname", "x"));
        Assert.True(update.Failed);
        Assert.Equal(409, StatusOf(update, ICAL + "calendar-color").Status);
        Assert.Equal(424, StatusOf(update, D + "displayname").Status);
    }

    [Theory]
    [InlineData("first")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    [InlineData("")]
    public void BadOrderFails(string order)
    {
        var update = Set(false, Prop(ICAL + "calendar-order", order));
        Assert.True(update.Failed);
        Assert.NotEqual(200, Assert.Single(update.Propstats()).Status);
    }

    [Fact]
    public void ControlCharactersInTextFail()
    {
        Assert.True(Set(false, Prop(D + "displayname", "bad\u0001name")).Failed);
        Assert.True(Set(false, Prop(D + "displayname", new string('x', 5000))).Failed);
    }

    [Fact]
    public void TimeZoneMustBeOneVtimezone()
    {
        static bool Fails(string text)
        {
            var update = Set(false, Prop(C + "calendar-timezone", text));
            if (!update.Failed)
                return false;
            var failure = Assert.Single(update.Propstats());
            Assert.Equal(403, failure.Status);
            Assert.Equal(C + "valid-calendar-data", failure.Error?.Name);
            return true;
        }
        Assert.False(Fails(OneTimeZone));
        Assert.True(Fails("Europe/Paris"));
        Assert.True(Fails(""));
        // Two VTIMEZONEs.
        var vtimezone = OneTimeZone[OneTimeZone.IndexOf("BEGIN:VTIMEZONE")..OneTimeZone.IndexOf("END:VCALENDAR")];
        Assert.True(Fails(OneTimeZone.Replace(vtimezone, vtimezone + vtimezone)));
        // A VEVENT instead, or beside it.
        Assert.True(Fails(string.Join("\r\n", "BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:x", "END:VEVENT", "END:VCALENDAR")));
        Assert.True(Fails(OneTimeZone.Replace("END:VCALENDAR", "BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR")));
        // Not nested properly.
        Assert.True(Fails(OneTimeZone.Replace("END:VTIMEZONE", "END:VTODO")));
        // Two VCALENDARs.
        Assert.True(Fails(OneTimeZone + OneTimeZone));
    }

    [Fact]
    public void VtimezoneWithoutTzidIsNotValid()
    {
        // RFC 5545 §3.6.5: TZID is required in VTIMEZONE, and one STANDARD or DAYLIGHT.
        var noTzid = OneTimeZone.Replace("TZID:Europe/Paris\r\n", "");
        Assert.True(Set(false, Prop(C + "calendar-timezone", noTzid)).Failed);
        var noObservance = OneTimeZone.Replace("BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n", "");
        Assert.NotEqual(OneTimeZone, noObservance);
        Assert.True(Set(false, Prop(C + "calendar-timezone", noObservance)).Failed);
    }

    [Fact]
    public void UnknownDeadPropertyIsRefused()
    {
        var update = Set(false, Prop(XName.Get("color", "urn:example"), "x"));
        Assert.True(update.Failed);
        Assert.Equal(403, Assert.Single(update.Propstats()).Status);
    }

    // RFC 7809 §5.2 CALDAV:calendar-timezone-id: stored as the calendar-timezone it names.

    [Fact]
    public void SettingAKnownTimeZoneIdStoresItsVtimezone()
    {
        var update = Set(false, Prop(C + "calendar-timezone-id", "America/New_York"));
        Assert.False(update.Failed);
        var text = update.Changes.TimeZone;
        Assert.NotNull(text);
        Assert.Equal("America/New_York", Caldera.Calendars.Query.FloatingTimeZone.Definition(text).TzId);
        Assert.Equal(200, Assert.Single(update.Propstats()).Status);
    }

    [Fact]
    public void AnUnknownTimeZoneIdFailsWithValidTimezone()
    {
        var update = Set(false, Prop(D + "displayname", "Kept?"), Prop(C + "calendar-timezone-id", "Mars/Olympus_Mons"));
        Assert.True(update.Failed);
        var failure = StatusOf(update, C + "calendar-timezone-id");
        Assert.Equal(403, failure.Status);
        Assert.Equal(C + "valid-timezone", failure.Error?.Name);
        Assert.Equal(424, StatusOf(update, D + "displayname").Status);
    }

    [Fact]
    public void RemovingTheTimeZoneIdRemovesTheTimeZone()
    {
        var update = new CalendarPropertyUpdate();
        update.Apply(Prop(C + "calendar-timezone-id"), remove: true, creating: false);
        Assert.False(update.Failed);
        Assert.Equal(["TimeZone"], update.Changes.Removed);
    }

    [Fact]
    public void BothSetToTheSameZoneKeepTheClientsDefinition()
    {
        var paris = Caldera.Calendars.Query.CalendarTimeZoneId.Definition("Europe/Paris");
        foreach (var order in new[] { true, false })
        {
            var props = new[] { Prop(C + "calendar-timezone", paris), Prop(C + "calendar-timezone-id", "Europe/Paris") };
            var update = Set(false, order ? props : [.. props.Reverse()]);
            Assert.False(update.Failed);
            Assert.Equal(paris, update.Changes.TimeZone);
        }
    }

    [Fact]
    public void BothSetToDifferentZonesConflict()
    {
        // OneTimeZone says Europe/Paris is +01:00 all year: no IANA zone, so no id can agree with it.
        foreach (var (definition, id) in new[] { (Caldera.Calendars.Query.CalendarTimeZoneId.Definition("Europe/Paris"), "Asia/Tokyo"), (OneTimeZone, "Europe/Paris") })
        {
            var update = Set(false, Prop(C + "calendar-timezone", definition), Prop(C + "calendar-timezone-id", id));
            Assert.True(update.Failed);
            Assert.Equal(409, StatusOf(update, C + "calendar-timezone-id").Status);
            Assert.Equal(424, StatusOf(update, C + "calendar-timezone").Status);
        }
        // Setting one while removing the other.
        var mixed = new CalendarPropertyUpdate();
        mixed.Apply(Prop(C + "calendar-timezone-id"), remove: true, creating: false);
        mixed.Apply(Prop(C + "calendar-timezone", OneTimeZone), remove: false, creating: false);
        Assert.True(mixed.Failed);
        Assert.Equal(409, StatusOf(mixed, C + "calendar-timezone").Status);
    }

    [Fact]
    public void MkcalendarMaySetTheTimeZoneId()
    {
        var update = Set(true, Prop(C + "calendar-timezone-id", "Asia/Tokyo"));
        Assert.False(update.Failed);
        Assert.Contains("TZID:Asia/Tokyo", update.Changes.TimeZone);
    }
}
