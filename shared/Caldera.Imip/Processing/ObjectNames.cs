using System.Text.RegularExpressions;
using Caldera.Storage;

namespace Caldera.Imip.Processing;

/// <summary>The resource name an invitation gets in the recipient's calendar: its UID when that is a tame name, else a hash of it.</summary>
public static partial class ObjectNames
{
    public static string ForUid(string uid, bool hashed = false) =>
        !hashed && Tame().IsMatch(uid) ? uid + ".ics" : KeyEncoder.Hash(uid)[..40] + ".ics";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,150}$")]
    private static partial Regex Tame();
}
