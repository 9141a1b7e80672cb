using Caldera.Calendars.Providers;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>One authenticated request: who asks, for what path, and its cancellation.</summary>
public sealed record DavContext(HttpContext Http, string User, DavPath Path, CancellationToken Cancellation)
{
    public HttpRequest Request => Http.Request;
    public HttpResponse Response => Http.Response;

    /// <summary>The provider context for a home: whose home, who asks.</summary>
    public CalendarContext For(string homeOwner) => new(homeOwner, User);
}
