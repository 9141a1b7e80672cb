using System.Text;

namespace Caldera.Fuzz.Tests.Mutation;

/// <summary>
/// Content-line mutations of iCalendar (RFC 5545): drop, duplicate, swap and move lines and whole components,
/// odd values for dates, durations and RRULE parts, odd parameters, unbalanced or deep BEGIN/END, long and
/// badly folded lines, other line endings.
/// </summary>
public sealed class ICalendarMutations(IReadOnlyList<byte[]> seeds)
{
    static readonly string[] Properties =
        ["DTSTART", "DTEND", "DUE", "DURATION", "RRULE", "EXRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "UID", "TRIGGER", "FREEBUSY",
         "TZOFFSETFROM", "TZOFFSETTO", "TZID", "DTSTAMP", "SEQUENCE", "STATUS", "METHOD", "VERSION", "ATTENDEE", "ORGANIZER", "SUMMARY"];

    static readonly string[] Parameters =
        [";TZID=Europe/Berlin", ";TZID=Nowhere/Land", ";TZID=", ";VALUE=DATE", ";VALUE=PERIOD", ";VALUE=DATE-TIME", ";VALUE=BOGUS",
         ";RANGE=THISANDFUTURE", ";RANGE=THISANDPRIOR", ";RELATED=END", ";FBTYPE=BUSY", ";X-P=\"a;b:c\"", ";", ";=", ";A", ";CN=\"unterminated"];

    static readonly string[] Components = ["VCALENDAR", "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "STANDARD", "DAYLIGHT", "VALARM", "X-COMP", ""];

    public byte[] Mutate(byte[] seed, Random random, int steps)
    {
        var text = Encoding.UTF8.GetString(seed);
        var lines = text.Replace("\r\n", "\n").Split('\n').ToList();
        for (var i = 0; i < steps; i++)
            Step(lines, random);
        var newline = random.Next(8) switch { 0 => "\n", 1 => "\r", _ => "\r\n" };
        var bytes = Encoding.UTF8.GetBytes(string.Join(newline, lines));
        return random.Next(6) == 0 ? ByteMutations.Mutate(bytes, seeds, random) : bytes;
    }

    static void Step(List<string> lines, Random random)
    {
        if (lines.Count == 0)
        {
            lines.Add("BEGIN:VCALENDAR");
            return;
        }
        var at = random.Next(lines.Count);
        var line = lines[at];
        switch (random.Next(11))
        {
            case 0:
                lines.RemoveAt(at);
                break;
            case 1:
                lines.Insert(at, lines[random.Next(lines.Count)]);
                break;
            case 2: // a new value for a property
                lines[at] = Name(line) + ":" + Value(Name(line), random);
                break;
            case 3: // a property with an odd value where it does not belong
                {
                    var name = Properties[random.Next(Properties.Length)];
                    lines.Insert(at, name + Parameters[random.Next(Parameters.Length)] + ":" + Value(name, random));
                    break;
                }
            case 4: // a parameter
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0)
                        lines[at] = line[..colon] + Parameters[random.Next(Parameters.Length)] + line[colon..];
                    break;
                }
            case 5: // unbalanced or misplaced BEGIN/END
                lines.Insert(at, (random.Next(2) == 0 ? "BEGIN:" : "END:") + Components[random.Next(Components.Length)]);
                break;
            case 6: // deep nesting
                {
                    var depth = random.Next(4) == 0 ? random.Next(200, 3000) : random.Next(2, 30);
                    var name = Components[random.Next(Components.Length)];
                    lines.InsertRange(at, Enumerable.Repeat("BEGIN:" + name, depth));
                    lines.InsertRange(at + depth, Enumerable.Repeat("END:" + name, random.Next(2) == 0 ? depth : random.Next(depth)));
                    break;
                }
            case 7: // a whole component copied (several VEVENTs, overrides, stray VTIMEZONEs)
                {
                    var begin = lines.FindIndex(l => l.StartsWith("BEGIN:V", StringComparison.Ordinal) && l != "BEGIN:VCALENDAR");
                    if (begin < 0)
                        break;
                    var end = lines.FindIndex(begin, l => l == "END:" + lines[begin][6..]);
                    if (end < 0)
                        break;
                    var block = lines.GetRange(begin, end - begin + 1);
                    var times = random.Next(4) == 0 ? random.Next(100, 1500) : random.Next(1, 4);
                    for (var i = 0; i < times; i++)
                        lines.InsertRange(end + 1, block);
                    break;
                }
            case 8: // a long line, folded or not
                {
                    var value = new string('x', random.Next(100, 80_000));
                    lines[at] = random.Next(2) == 0 ? line + value : line + string.Concat(value.Chunk(74).Select(c => "\n " + new string(c)));
                    break;
                }
            case 9: // a fold where none belongs, or a continuation line without a line before it
                lines[at] = (random.Next(2) == 0 ? " " : "\t") + line;
                break;
            default:
                {
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                }
        }
    }

    static string Name(string line)
    {
        var end = line.IndexOfAny([':', ';']);
        return end < 0 ? line : line[..end];
    }

    static string Value(string name, Random random)
    {
        string[] pool = name switch
        {
            "RRULE" or "EXRULE" => OddValues.Rules,
            "DTSTART" or "DTEND" or "DUE" or "DURATION" or "RDATE" or "EXDATE" or "RECURRENCE-ID" or "TRIGGER" or "FREEBUSY" or "DTSTAMP" => OddValues.Temporal,
            _ => random.Next(2) == 0 ? OddValues.Common : OddValues.Temporal,
        };
        var value = pool[random.Next(pool.Length)];
        // Lists: several values where one is expected, or many of them.
        return random.Next(6) == 0 ? string.Join(",", Enumerable.Repeat(value, random.Next(2, 500))) : value;
    }
}
