using System.Xml.Linq;
using Caldera.Dav.Nodes;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>
/// The refusals of MKCALENDAR (RFC 4791 §5.3.1.1) and MKCOL (RFC 4918 §9.3.1) where no calendar can be made:
/// on an existing resource, in a collection that takes no collections, or below a missing one.
/// </summary>
public static class MkcolLocation
{
    /// <summary>
    /// MKCALENDAR names its precondition DAV:resource-must-be-null (403); MKCOL on a mapped URL is 405 in RFC 4918,
    /// which RFC 5689 does not change.
    /// </summary>
    public static DavException Occupied(bool mkcol) => mkcol
        ? new DavException(405, "a resource exists there already", new XElement(D + "resource-must-be-null"))
        : DavException.Forbidden("a resource exists there already", new XElement(D + "resource-must-be-null"));

    /// <summary>Why a path that is not a child of the user's calendar home cannot take a new calendar.</summary>
    public static async Task<DavException> RefusalAsync(DavContext ctx, NodeResolver resolver, bool mkcol)
    {
        if (await resolver.ResolveAsync(ctx, ctx.Path) is not null)
            return Occupied(mkcol);
        // RFC 4918 §9.3.1: 409 until the intermediate collections exist; 403 where the parent exists but takes none.
        if (await resolver.ResolveAsync(ctx, ctx.Path.Parent) is null)
            return DavException.Conflict("the parent collection does not exist");
        const string message = "calendars can only be made directly in a calendar home";
        return mkcol ? DavException.Forbidden(message) : DavException.Forbidden(message, new XElement(C + "calendar-collection-location-ok"));
    }
}
