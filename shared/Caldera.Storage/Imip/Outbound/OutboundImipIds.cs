using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Caldera.Storage.Imip.Outbound;

/// <summary>
/// Outbound ids are 32 lower-case hex digits: the inverted creation time (so a user's rows list newest first in key
/// order) and 64 random bits. One id names the status row, the blob and the Message-ID of one email.
/// </summary>
public static partial class OutboundImipIds
{
    public static string New(DateTimeOffset created) =>
        (DateTimeOffset.MaxValue.UtcTicks - created.UtcTicks).ToString("x16", CultureInfo.InvariantCulture) +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex Pattern();
}
