using Caldera.Fuzz.Tests.Harness;
using Caldera.Fuzz.Tests.Mutation;
using Caldera.Imip.Itip;
using Caldera.Imip.Mime;

namespace Caldera.Fuzz.Tests.Targets;

/// <summary>
/// The iMIP reader: <see cref="ImipMailReader.Read"/> answers a mail or a refusal and throws nothing; the calendar
/// text of a read mail goes through <see cref="ItipParser.Parse"/>, which also answers a message or a refusal.
/// </summary>
public sealed class MimeTarget : IFuzzTarget
{
    public string Name => "mime";
    public string Extension => "eml";

    public FsCheck.Gen<byte[]> Inputs(IReadOnlyList<byte[]> seeds) => SeedGen.From(seeds, new MimeMutations(seeds).Mutate);

    public long Check(byte[] input)
    {
        using var raw = new MemoryStream(input);
        var result = ImipMailReader.Read(raw, ImipLimits.Default);
        if ((result.Mail is null) == (result.Refusal is null))
            throw new InvalidOperationException("the reader must answer exactly one of a mail and a refusal");
        if (result.Mail is { Method: { } method, CalendarText: { } text })
            _ = ItipParser.Parse(method, text);
        return 0;
    }
}
