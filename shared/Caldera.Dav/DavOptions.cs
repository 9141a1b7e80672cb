namespace Caldera.Dav;

/// <summary>Limits the engine enforces on what clients send.</summary>
public sealed class DavOptions
{
    /// <summary>Largest calendar object accepted by PUT (CALDAV:max-resource-size).</summary>
    public long MaxResourceSize { get; set; } = 1024 * 1024;
    /// <summary>Largest XML request body (PROPFIND, PROPPATCH, REPORT, MKCALENDAR).</summary>
    public long MaxXmlBodySize { get; set; } = 1024 * 1024;
    /// <summary>Most hrefs one calendar-multiget may name.</summary>
    public int MaxMultigetHrefs { get; set; } = 5000;
    /// <summary>How many object bodies a REPORT reads at once.</summary>
    public int BodyReadConcurrency { get; set; } = 16;
    /// <summary>
    /// A request header holding the client address, set by a trusted front end (its last entry is used); null uses
    /// the connection's address. Only set it when every request passes that front end, or clients can pick their address.
    /// </summary>
    public string? ClientAddressHeader { get; set; }
    /// <summary>
    /// Where a browser that opens the root is sent (a GET of "/" asking for text/html without credentials); null answers
    /// it as DAV does (401). CalDAV clients never ask the root for HTML, so they are not redirected.
    /// </summary>
    public string? BrowserLandingPath { get; set; }
}
