using System.Net;
using System.Text;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Faults;

/// <summary>
/// A fresh state for one faulted object write: the calendars it touches (with a sync token taken before), every href
/// they hold, and for each href the write changes, its state before and the body (or absence) after.
/// </summary>
internal sealed class ObjectWriteScenario
{
    public Dictionary<string, string> TokensBefore { get; } = new(); // calendar path -> sync token
    /// <summary>Hrefs known in each calendar (set up, or targets of the write).</summary>
    public Dictionary<string, HashSet<string>> Hrefs { get; } = new();
    public Dictionary<string, ObjectState> Before { get; } = new();
    /// <summary>The body each changed href has after a successful write (null: gone).</summary>
    public Dictionary<string, string?> After { get; } = new();
    public Dictionary<string, string> Uids { get; } = new(); // href -> UID of its body before or after
    public required HttpRequestMessage Request { get; init; }
    public required HttpStatusCode[] Success { get; init; }
    /// <summary>Calendar names (for storage checks).</summary>
    public List<string> Calendars { get; } = [];

    public static string CalendarOf(string href) => href[..(href.LastIndexOf('/') + 1)];

    /// <summary>A body over the 32 KiB the index keeps inline, so GET reads the blob the index row names.</summary>
    public static string LargeEvent(string uid, string summary)
    {
        var text = new StringBuilder("DESCRIPTION:");
        for (var i = 0; i < 600; i++)
            text.Append("\r\n ").Append($"{summary} line {i:D4} padding the body past the inline limit.");
        return Event(uid, summary, extra: text.Append("\r\n").ToString());
    }
}
