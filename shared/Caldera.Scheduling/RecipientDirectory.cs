using Caldera.Imip.Itip;
using Caldera.Storage;
using Ical.Net;
using Ical.Net.CalendarComponents;

namespace Caldera.Scheduling;

/// <summary>
/// Who the calendar user addresses of one scheduling write are, looked up once per request: a Caldera user (the
/// address index names exactly one), an outside email (a valid mailto: that is not a Caldera user), or neither.
/// The planner asks synchronously, so every address is resolved before it runs.
/// </summary>
internal sealed class RecipientDirectory
{
    /// <summary>More distinct addresses than this in one object are not looked up (each is a point read): they get 5.3.</summary>
    public const int MaxLookups = 200;

    /// <summary>RFC 6638 §3.2.9 / RFC 5546 §3.6 request status codes this server sets.</summary>
    public const string Delivered = "1.2", Queued = "1.1", InvalidAddress = "3.7", NotLookedUp = "5.3";

    readonly Dictionary<string, string?> _known = new(StringComparer.Ordinal); // email → Caldera user, null = outside
    readonly HashSet<string> _overflow = new(StringComparer.Ordinal);

    /// <summary>The Caldera user an address belongs to, or null.</summary>
    public string? UserOf(string email) => _known.GetValueOrDefault(email);

    /// <summary>Whether the address was looked up (so it is a valid mailto: address).</summary>
    public bool IsKnown(string email) => _known.ContainsKey(email);

    /// <summary>The SCHEDULE-STATUS for a recipient: 1.2 delivered here, 1.1 queued as email, 3.7 not a valid address.</summary>
    public string StatusOf(string email) =>
        _known.TryGetValue(email, out var user) ? user is null ? Queued : Delivered
        : _overflow.Contains(email) ? NotLookedUp : InvalidAddress;

    public static async Task<RecipientDirectory> ResolveAsync(IUserStore users, IEnumerable<Calendar?> calendars, IReadOnlySet<string> skip, CancellationToken ct)
    {
        var directory = new RecipientDirectory();
        var emails = calendars.Where(c => c is not null).SelectMany(c => Addresses(c!)).Where(e => !skip.Contains(e)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var extra in emails.Skip(MaxLookups))
            directory._overflow.Add(extra);
        // A few lookups at a time: an invitation to a whole team should not be a long chain of round trips.
        foreach (var chunk in emails.Take(MaxLookups).Chunk(8))
        {
            var found = await Task.WhenAll(chunk.Select(async e => (Email: e, Users: await users.FindUsersByAddressAsync(e, ct))));
            foreach (var (email, owners) in found)
                directory._known[email] = owners.Count == 1 ? owners[0] : null;
        }
        return directory;
    }

    /// <summary>The lower-case emails of every mailto: ORGANIZER and ATTENDEE; other schemes and malformed values are left out.</summary>
    public static IEnumerable<string> Addresses(Calendar calendar)
    {
        foreach (var component in calendar.Children.OfType<UniqueComponent>())
        {
            if (component.Organizer?.Value is { } organizer && Mailto(organizer) is { } o)
                yield return o;
            foreach (var attendee in component.Attendees)
                if (attendee.Value is { } value && Mailto(value) is { } a)
                    yield return a;
        }
    }

    static string? Mailto(Uri uri) =>
        uri.OriginalString.TrimStart().StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? CalendarAddress.Normalize(uri) : null;
}
