using Caldera.Calendars.Providers;
using Caldera.Storage;

namespace Caldera.Dav.Handlers;

/// <summary>
/// The name the server gives an object created by an add-member POST (RFC 5995 leaves it to the server): the UID plus
/// ".ics" when the UID is plain URL-safe text and that name is free, as most clients name their own PUTs; otherwise a
/// random one, so no UID can produce an awkward, overlong or already-taken URL.
/// </summary>
public static class MemberName
{
    const string Extension = ".ics";

    public static async Task<string> ChooseAsync(ICalendar calendar, string uid, CancellationToken ct)
    {
        if (IsPlain(uid) && await calendar.GetObjectAsync(uid + Extension, ct) is null)
            return uid + Extension;
        return Random();
    }

    public static string Random() => Guid.NewGuid().ToString("D") + Extension;

    /// <summary>Letters, digits, '-', '_' and '.', not starting with '.', short enough to leave room for the extension.</summary>
    public static bool IsPlain(string uid) =>
        uid.Length is > 0 and <= 128 && uid[0] != '.' &&
        uid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') &&
        Names.IsValidSegment(uid + Extension, Names.MaxObjectName);
}
