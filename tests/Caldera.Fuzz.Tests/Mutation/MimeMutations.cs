using System.Text;

namespace Caldera.Fuzz.Tests.Mutation;

/// <summary>
/// Mutations of a raw email (RFC 5322 / MIME): content types, boundaries, charsets and transfer encodings swapped,
/// base64 and quoted-printable bodies corrupted, the message wrapped in nested multiparts or message/rfc822,
/// boundary lines dropped or repeated; the calendar text inside mutated like a PUT body.
/// </summary>
public sealed class MimeMutations(IReadOnlyList<byte[]> seeds)
{
    readonly ICalendarMutations _calendar = new(seeds);

    public byte[] Mutate(byte[] seed, Random random, int steps)
    {
        var text = Encoding.Latin1.GetString(seed);
        for (var i = 0; i < steps; i++)
            text = Step(text, random);
        var bytes = Encoding.Latin1.GetBytes(text);
        return random.Next(6) == 0 ? ByteMutations.Mutate(bytes, seeds, random) : bytes;
    }

    string Step(string text, Random random)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        var at = random.Next(lines.Count);
        switch (random.Next(8))
        {
            case 0:
                return Header(lines, random, "Content-Type", OddValues.ContentTypes);
            case 1:
                return Header(lines, random, "Content-Transfer-Encoding", OddValues.TransferEncodings);
            case 2: // another charset or boundary parameter
                {
                    var i = lines.FindIndex(l => l.Contains("charset=", StringComparison.OrdinalIgnoreCase) || l.Contains("boundary=", StringComparison.OrdinalIgnoreCase));
                    if (i < 0)
                        break;
                    var key = lines[i].Contains("charset=", StringComparison.OrdinalIgnoreCase) ? "charset=" : "boundary=";
                    var start = lines[i].IndexOf(key, StringComparison.OrdinalIgnoreCase) + key.Length;
                    var value = key == "charset=" ? OddValues.Charsets[random.Next(OddValues.Charsets.Length)] : OddValues.Common[random.Next(OddValues.Common.Length)];
                    lines[i] = lines[i][..start] + "\"" + value + "\"";
                    break;
                }
            case 3: // corrupt an encoded body line
                {
                    var body = lines.FindIndex(random.Next(lines.Count), l => l.Length > 20 && !l.Contains(':'));
                    if (body < 0)
                        break;
                    var chars = lines[body].ToCharArray();
                    chars[random.Next(chars.Length)] = "=!*-\u00ff\0 "[random.Next(7)];
                    lines[body] = new string(chars);
                    break;
                }
            case 4: // boundary lines dropped or repeated
                {
                    var i = lines.FindIndex(random.Next(lines.Count), l => l.StartsWith("--", StringComparison.Ordinal));
                    if (i < 0)
                        break;
                    if (random.Next(2) == 0)
                        lines.RemoveAt(i);
                    else
                        lines.InsertRange(i, Enumerable.Repeat(lines[i], random.Next(1, 300)));
                    break;
                }
            case 5:
                return Nest(text, random);
            case 6: // the calendar inside, mutated like a PUT body
                {
                    var begin = text.IndexOf("BEGIN:VCALENDAR", StringComparison.Ordinal);
                    var end = text.IndexOf("END:VCALENDAR", StringComparison.Ordinal);
                    if (begin < 0 || end < begin)
                        break;
                    var calendar = Encoding.UTF8.GetBytes(text[begin..(end + 13)]);
                    var mutated = Encoding.Latin1.GetString(_calendar.Mutate(calendar, random, random.Next(1, 4)));
                    return text[..begin] + mutated + text[(end + 13)..];
                }
            default:
                lines.Insert(at, random.Next(3) switch
                {
                    0 => "Content-Type: multipart/mixed; boundary=\"" + OddValues.Common[random.Next(OddValues.Common.Length)] + "\"",
                    1 => "From: " + OddValues.Common[random.Next(OddValues.Common.Length)],
                    _ => "Authentication-Results: mx.example.com; dmarc=" + (random.Next(2) == 0 ? "fail" : "pass"),
                });
                break;
        }
        return string.Join("\r\n", lines);
    }

    static string Header(List<string> lines, Random random, string name, string[] values)
    {
        var indexes = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase)).Select(x => x.i).ToList();
        var value = values[random.Next(values.Length)];
        if (indexes.Count == 0)
            lines.Insert(0, $"{name}: {value}");
        else
            lines[indexes[random.Next(indexes.Count)]] = $"{name}: {value}";
        return string.Join("\r\n", lines);
    }

    /// <summary>The whole message wrapped in multiparts or message/rfc822 parts, shallow or deeper than any limit.</summary>
    static string Nest(string text, Random random)
    {
        var depth = random.Next(4) == 0 ? random.Next(20, 200) : random.Next(1, 5);
        var split = text.Replace("\r\n", "\n").IndexOf("\n\n", StringComparison.Ordinal);
        var headers = split < 0 ? "" : text.Replace("\r\n", "\n")[..split].Replace("\n", "\r\n");
        var inner = text;
        for (var i = 0; i < depth; i++)
        {
            var boundary = "b" + i;
            inner = random.Next(2) == 0
                ? $"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n{inner}\r\n--{boundary}--\r\n"
                : $"Content-Type: message/rfc822\r\n\r\n{inner}";
        }
        var from = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("From:", StringComparison.OrdinalIgnoreCase)) ?? "From: a@example.com";
        return $"{from}\r\nMIME-Version: 1.0\r\n{inner}";
    }
}
