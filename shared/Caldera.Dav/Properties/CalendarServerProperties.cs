using System.Xml.Linq;
using Caldera.Calendars.Providers.Subscriptions;
using Caldera.Dav.Nodes;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Properties;

/// <summary>
/// Apple CalendarServer (CS) properties that macOS/iOS Calendar and DAVx5 ask for and that this server can answer
/// truthfully. The other CS names they ask for (pushkey, invite, publish-url, dropbox-home-URL, ...) stay undefined and
/// come back in a 404 propstat. None is in allprop: they are extensions, asked for by name.
/// </summary>
public static class CalendarServerProperties
{
    public static readonly XName EmailAddressSet = CS + "email-address-set";
    public static readonly XName AllowedSharingModes = CS + "allowed-sharing-modes";
    public static readonly XName Source = CS + "source";

    public static IEnumerable<LiveProperty> Create() =>
    [
        // The principal's e-mail address; Apple shows it as the account's address and matches invitations with it.
        new(EmailAddressSet, (n, _) => n is PrincipalNode { User.Email: { Length: > 0 } email }
            ? new XElement(CS + "email-address", email)
            : null, InAllProp: false),
        // Sharing is set up by the administrator (manage API, caldera-admin share), not by CS:share POSTs, so no mode is
        // allowed over CalDAV: an empty set tells Calendar not to offer Share/Publish, which would fail.
        new(AllowedSharingModes, (n, _) => n is CalendarNode { IsScheduleInbox: false } ? Array.Empty<XElement>() : null, InAllProp: false),
        // Where a subscribed feed comes from (CalendarServer's subscription property), without any user info in the URL.
        new(Source, (n, _) => n is CalendarNode { Calendar: IFeedStatus feed }
            ? new XElement(D + "href", feed.Source.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped))
            : null, InAllProp: false),
    ];
}
