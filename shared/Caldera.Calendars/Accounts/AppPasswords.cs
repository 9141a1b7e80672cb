using System.Security.Cryptography;
using System.Text;

namespace Caldera.Calendars.Accounts;

/// <summary>
/// App passwords are random 160-bit tokens, so a plain SHA-256 is a sound hash for them (no stretching needed);
/// comparisons are constant-time.
/// </summary>
public static class AppPasswords
{
    const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>32 characters from a 32-symbol alphabet without look-alikes: 160 bits.</summary>
    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 32);

    public static string NewId() => RandomNumberGenerator.GetHexString(12, lowercase: true);

    public static byte[] Hash(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));

    public static bool Matches(string password, byte[] hash) =>
        CryptographicOperations.FixedTimeEquals(Hash(password), hash);
}
