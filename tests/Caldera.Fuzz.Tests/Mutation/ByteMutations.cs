namespace Caldera.Fuzz.Tests.Mutation;

/// <summary>Format-blind mutations: cut, flip, insert, repeat and splice bytes (finds what structure-aware ones miss).</summary>
public static class ByteMutations
{
    static readonly byte[] Interesting = [0x00, 0xFF, 0xFE, 0xC3, 0x80, 0xED, 0xA0, 0xF4, 0x90, (byte)'<', (byte)'>', (byte)'&', (byte)'"',
        (byte)'\r', (byte)'\n', (byte)':', (byte)';', (byte)'=', (byte)',', (byte)'-', (byte)' ', (byte)'\t', (byte)'/'];

    public static byte[] Mutate(byte[] input, IReadOnlyList<byte[]> seeds, Random random)
    {
        if (input.Length == 0)
            return [Interesting[random.Next(Interesting.Length)]];
        var bytes = input.ToList();
        var at = random.Next(bytes.Count);
        switch (random.Next(7))
        {
            case 0: // truncate
                return input[..at];
            case 1: // overwrite bytes
                for (var i = 0; i < random.Next(1, 8); i++)
                    bytes[random.Next(bytes.Count)] = random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256);
                break;
            case 2: // insert bytes
                bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 5)).Select(_ => Interesting[random.Next(Interesting.Length)]));
                break;
            case 3: // delete a slice
                bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                break;
            case 4: // repeat a slice many times (long lines, deep nesting, big bodies)
                {
                    var slice = input.Skip(at).Take(random.Next(1, 40)).ToArray();
                    var times = random.Next(2, 2000);
                    bytes.InsertRange(at, Enumerable.Repeat(slice, times).SelectMany(s => s));
                    break;
                }
            case 5: // splice with another seed
                {
                    var other = seeds[random.Next(seeds.Count)];
                    var from = other.Length == 0 ? 0 : random.Next(other.Length);
                    return [.. input[..at], .. other[from..]];
                }
            default: // swap two slices
                {
                    var other = random.Next(bytes.Count);
                    (bytes[at], bytes[other]) = (bytes[other], bytes[at]);
                    break;
                }
        }
        return bytes.ToArray();
    }
}
