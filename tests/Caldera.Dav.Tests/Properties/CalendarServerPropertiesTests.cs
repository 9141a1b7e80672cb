using System.Xml.Linq;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Subscriptions;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Storage;
using Microsoft.AspNetCore.Http;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Tests.Properties;

/// <summary>
/// The CalendarServer properties Apple Calendar and DAVx5 ask for (tests/clients/apple, tests/clients/davx5): what each
/// answers where it is defined, and that it is undefined (a 404 propstat) everywhere else.
/// </summary>
public class CalendarServerPropertiesTests
{
    static readonly PropertyRegistry Registry = new(new DavOptions());
    static readonly DavContext Context = new(new DefaultHttpContext(), "alice", DavPath.Parse("/"), CancellationToken.None);
    static readonly UserRecord Alice = new("alice", "Alice", "alice@example.com", DateTimeOffset.UnixEpoch);

    static object? Read(XName name, DavNode node) => Registry.Find(name)!.Get(node, Context);

    static XElement Element(XName name, DavNode node) => PropertyValues.Element(name, Read(name, node));

    static CalendarNode Calendar(string segment, ICalendar calendar) => new("alice", new HomeCalendar(segment, "store", calendar));

    static IcsSubscriptionCalendar Feed(string url) => new(
        new FeedDefinition("holidays", new Uri(url), "Holidays", null), "alice",
        new FeedSnapshot([], "subscribed", Healthy: true, CTag: "c1", FetchedAt: null));

    [Fact]
    public void Email_address_set_lists_the_principals_address()
    {
        var value = Element(CalendarServerProperties.EmailAddressSet, new PrincipalNode(Alice));
        Assert.Equal(["alice@example.com"], value.Elements(CS + "email-address").Select(e => e.Value));
    }

    [Fact]
    public void Email_address_set_is_undefined_without_an_address_and_off_principals()
    {
        Assert.Null(Read(CalendarServerProperties.EmailAddressSet, new PrincipalNode(Alice with { Email = "" })));
        Assert.Null(Read(CalendarServerProperties.EmailAddressSet, new HomeNode("alice")));
        Assert.Null(Read(CalendarServerProperties.EmailAddressSet, Calendar("work", new FakeCalendar())));
    }

    [Fact]
    public void Allowed_sharing_modes_is_empty_on_calendars_so_clients_offer_no_share_or_publish()
    {
        var value = Element(CalendarServerProperties.AllowedSharingModes, Calendar("work", new FakeCalendar()));
        Assert.Empty(value.Elements());
        Assert.NotNull(Read(CalendarServerProperties.AllowedSharingModes, Calendar("holidays", Feed("https://example.com/h.ics"))));
    }

    [Fact]
    public void Allowed_sharing_modes_is_undefined_on_the_inbox_the_home_and_principals()
    {
        Assert.Null(Read(CalendarServerProperties.AllowedSharingModes, Calendar(ScheduleCollections.Inbox, new FakeCalendar())));
        Assert.Null(Read(CalendarServerProperties.AllowedSharingModes, new HomeNode("alice")));
        Assert.Null(Read(CalendarServerProperties.AllowedSharingModes, new PrincipalNode(Alice)));
    }

    [Fact]
    public void Source_of_a_feed_calendar_is_its_url_without_user_info()
    {
        var value = Element(CalendarServerProperties.Source, Calendar("holidays", Feed("https://user:secret@example.com/cal/h.ics?k=1")));
        Assert.Equal("https://example.com/cal/h.ics?k=1", value.Element(D + "href")!.Value);
    }

    [Fact]
    public void Source_is_undefined_on_calendars_that_are_not_feeds()
    {
        Assert.Null(Read(CalendarServerProperties.Source, Calendar("work", new FakeCalendar())));
        Assert.Null(Read(CalendarServerProperties.Source, new HomeNode("alice")));
    }

    [Fact]
    public void None_of_them_is_in_allprop()
    {
        foreach (var name in new[] { CalendarServerProperties.EmailAddressSet, CalendarServerProperties.AllowedSharingModes, CalendarServerProperties.Source })
            Assert.False(Registry.Find(name)!.InAllProp, name.ToString());
    }

    [Fact]
    public void The_schedule_outbox_has_its_owner()
    {
        var value = Element(D + "owner", new OutboxNode("alice"));
        Assert.Equal("/principals/alice/", value.Element(D + "href")!.Value);
    }

    /// <summary>A plain calendar: only what the property getters look at.</summary>
    sealed class FakeCalendar : ICalendar
    {
        public string Uri => "work";
        public string Owner => "alice";
        public string? DisplayName => "Work";
        public string? Description => null;
        public string? Color => null;
        public int? Order => null;
        public string? TimeZone => null;
        public IReadOnlyList<string> SupportedComponents => ["VEVENT"];
        public string CTag => "1";
        public string? SyncToken => "t1";
        public DateTimeOffset? LastModified => null;
        public CalendarPrivileges Privileges => CalendarPrivileges.ReadWrite;
        public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<ICalendarObject>>([]);
        public Task<ICalendarObject?> GetObjectAsync(string name, CancellationToken ct) => Task.FromResult<ICalendarObject?>(null);
        public Task<IReadOnlyList<ICalendarObject>> GetObjectsAsync(IReadOnlyCollection<string> names, CancellationToken ct) => GetObjectsAsync(ct);
        public Task<CalendarChanges?> GetChangesAsync(string syncToken, CancellationToken ct) => Task.FromResult<CalendarChanges?>(null);
    }
}
