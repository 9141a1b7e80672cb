using System.Text.RegularExpressions;

namespace Caldera.Storage.Sweeping;

/// <summary>The parts of a body blob's name as <see cref="BodyBlobs.NewName"/> makes it: "{owner}/{calendarId}/{guid}.ics".</summary>
sealed partial record BodyBlobName(string Owner, string CalendarId)
{
    /// <summary>Null for a name Caldera does not make (the sweeper leaves such blobs alone).</summary>
    public static BodyBlobName? TryParse(string name)
    {
        var match = Pattern().Match(name);
        return match.Success && Names.IsValidUserName(match.Groups[1].Value)
            ? new BodyBlobName(match.Groups[1].Value, match.Groups[2].Value)
            : null;
    }

    [GeneratedRegex(@"^([^/]+)/([0-9a-f]{32})/[0-9a-f]{32}\.ics$")]
    private static partial Regex Pattern();
}
