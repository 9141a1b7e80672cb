using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Caldera.Calendars.Accounts;

/// <summary>
/// App password hashes. A generated password is a random 160-bit token, so a plain SHA-256 is a sound hash for it
/// (nothing to stretch). A password a person chose may be guessable, so it is stored as salted PBKDF2-HMAC-SHA256
/// with <see cref="ChosenIterations"/> iterations (OWASP's 2023 figure), which makes each guess against a stolen
/// table cost as much. Both are told apart by length; comparisons are constant-time. Hashes stored before chosen
/// passwords were stretched (plain SHA-256 of a chosen password) still verify.
/// </summary>
public static class AppPasswords
{
    const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public const int ChosenIterations = 600_000;

    /// <summary>Marks the stretched format: version byte, iterations (big-endian), salt, key.</summary>
    const byte Pbkdf2Version = 1;
    const int SaltBytes = 16, KeyBytes = 32, Pbkdf2Length = 1 + 4 + SaltBytes + KeyBytes;

    /// <summary>32 characters from a 32-symbol alphabet without look-alikes: 160 bits.</summary>
    /// <summary>Longest label (the device a password is for).</summary>
    public const int MaxLabelLength = 100;

    /// <summary>A label the management API and the web page accept: bounded, no control characters.</summary>
    public static bool IsValidLabel(string label) => label.Length <= MaxLabelLength && !label.Any(char.IsControl);

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, 32);

    public static string NewId() => RandomNumberGenerator.GetHexString(12, lowercase: true);

    /// <summary>The hash of a generated password (SHA-256, 32 bytes).</summary>
    public static byte[] Hash(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));

    /// <summary>The hash of a chosen password: salted and stretched.</summary>
    public static byte[] HashChosen(string password, int iterations = ChosenIterations)
    {
        var hash = new byte[Pbkdf2Length];
        hash[0] = Pbkdf2Version;
        BinaryPrimitives.WriteInt32BigEndian(hash.AsSpan(1, 4), iterations);
        RandomNumberGenerator.Fill(hash.AsSpan(5, SaltBytes));
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), hash.AsSpan(5, SaltBytes), hash.AsSpan(5 + SaltBytes), iterations, HashAlgorithmName.SHA256);
        return hash;
    }

    public static bool Matches(string password, byte[] hash)
    {
        if (hash.Length == Pbkdf2Length && hash[0] == Pbkdf2Version)
        {
            var iterations = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(1, 4));
            if (iterations is < 1 or > 10_000_000)
                return false;
            Span<byte> key = stackalloc byte[KeyBytes];
            Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), hash.AsSpan(5, SaltBytes), key, iterations, HashAlgorithmName.SHA256);
            return CryptographicOperations.FixedTimeEquals(key, hash.AsSpan(5 + SaltBytes));
        }
        return hash.Length == SHA256.HashSizeInBytes && CryptographicOperations.FixedTimeEquals(Hash(password), hash);
    }
}
