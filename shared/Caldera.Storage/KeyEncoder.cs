using System.Security.Cryptography;
using System.Text;

namespace Caldera.Storage;

/// <summary>
/// Turns client-supplied names into table-key segments. Keys forbid / \ # ? and control characters, and
/// '%' in keys breaks some Azure Table operations, so every byte outside [A-Za-z0-9._@-] of the UTF-8 form
/// becomes '!XX' (upper-case hex). '|' never survives, so "kind|id|name" prefixes are unambiguous.
/// </summary>
public static class KeyEncoder
{
    /// <summary>Encoded segments longer than this are replaced by <see cref="HashMarker"/> + SHA-256 (keys max 1 KiB).</summary>
    public const int MaxEncodedLength = 255;
    /// <summary>Starts a hashed segment; '=' is always escaped in the reversible form, so the two never collide.</summary>
    public const char HashMarker = '=';
    const char Escape = '!';
    const string Hex = "0123456789ABCDEF";
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The reversible encoding (any length).</summary>
    public static string Encode(string value)
    {
        var bytes = StrictUtf8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (IsKept(b))
                sb.Append((char)b);
            else
                sb.Append(Escape).Append(Hex[b >> 4]).Append(Hex[b & 15]);
        }
        return sb.ToString();
    }

    /// <summary>Reverses <see cref="Encode"/>; throws <see cref="FormatException"/> on anything else.</summary>
    public static string Decode(string encoded)
    {
        var bytes = new List<byte>(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == Escape)
            {
                if (i + 2 >= encoded.Length)
                    throw new FormatException("truncated escape");
                bytes.Add((byte)(HexValue(encoded[i + 1]) << 4 | HexValue(encoded[i + 2])));
                i += 2;
            }
            else if (c < 128 && IsKept((byte)c))
                bytes.Add((byte)c);
            else
                throw new FormatException($"'{c}' cannot appear in an encoded key");
        }
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new FormatException("not UTF-8", e);
        }
    }

    /// <summary>The key segment for a name: reversible when short enough, else a hash (the name is kept in a property).</summary>
    public static string EncodeKey(string value)
    {
        var encoded = Encode(value);
        return encoded.Length <= MaxEncodedLength ? encoded : HashMarker + Hash(value);
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 form.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(StrictUtf8.GetBytes(value)));

    static bool IsKept(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'.' or (byte)'_' or (byte)'@' or (byte)'-';

    static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => throw new FormatException($"'{c}' is not an upper-case hex digit"),
    };
}
