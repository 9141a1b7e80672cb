using System.Xml.Linq;
using Caldera.Dav;
using Caldera.Dav.Properties;
using Caldera.Dav.Reports;
using Caldera.Dav.Xml;
using Caldera.Fuzz.Tests.Harness;
using Caldera.Fuzz.Tests.Mutation;
using Microsoft.AspNetCore.Http;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Fuzz.Tests.Targets;

/// <summary>
/// The XML request readers: <see cref="DavXml.ReadAsync"/>, then the body readers that need no storage for the
/// document's root (PROPFIND's prop request, PROPPATCH/MKCALENDAR/extended MKCOL properties incl. dead ones, REPORT
/// filters, calendar-data, time zones, sync limits). Only a 4xx <see cref="DavException"/> may escape. The readers
/// that need a calendar (multiget, expand-property, principal reports) are fuzzed over HTTP by
/// HttpFuzzTests.
/// </summary>
public sealed class XmlBodyTarget : IFuzzTarget
{
    public const long MaxBody = 1024 * 1024; // DavOptions.MaxXmlBodySize's default

    public string Name => "xml";
    public string Extension => "xml";

    public FsCheck.Gen<byte[]> Inputs(IReadOnlyList<byte[]> seeds) => SeedGen.From(seeds, new XmlMutations(seeds).Mutate);

    public long Check(byte[] input)
    {
        foreach (var load in new[] { LoadOptions.None, LoadOptions.PreserveWhitespace })
            DavErrors.Allow4xx(() => Read(input, load));
        return 0;
    }

    static void Read(byte[] input, LoadOptions load)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(input);
        context.Request.ContentLength = input.Length;
        var doc = DavXml.ReadAsync(context.Request, MaxBody, CancellationToken.None, load).GetAwaiter().GetResult();
        if (doc?.Root is not { } root)
            return;
        if (root.Name == D + "propfind")
            _ = PropRequest.From(root, required: true);
        else if (root.Name == D + "propertyupdate" || root.Name == C + "mkcalendar" || root.Name == D + "mkcol")
            Properties(root, creating: root.Name != D + "propertyupdate");
        else if (root.Name == C + "calendar-query")
            FilterTarget.Parse(root);
        else if (root.Name == C + "calendar-multiget")
            _ = CalendarDataParser.Parse(root.Element(D + "prop")?.Element(C + "calendar-data"));
        else if (root.Name == C + "free-busy-query" && root.Element(C + "time-range") is { } range)
            DateLimits.Check(FilterParser.Range(range));
        else if (root.Name == D + "sync-collection")
        {
            _ = SyncLimit.Read(root);
            _ = PropRequest.From(root, required: false);
        }
    }

    /// <summary>What PROPPATCH and MKCALENDAR do with each property before anything is stored.</summary>
    static void Properties(XElement root, bool creating)
    {
        var update = new CalendarPropertyUpdate();
        var dead = new DeadPropertyUpdate();
        foreach (var instruction in root.Elements().Where(e => e.Name == D + "set" || e.Name == D + "remove"))
        {
            var remove = instruction.Name == D + "remove";
            foreach (var prop in instruction.Element(D + "prop")?.Elements() ?? [])
            {
                if (prop.Name.NamespaceName is "DAV:" or "urn:ietf:params:xml:ns:caldav")
                    update.Apply(prop, remove, creating);
                else
                {
                    dead.Add(prop, remove);
                    update.Accept(prop.Name);
                }
            }
        }
        _ = update.Propstats();
        _ = update.Changes;
        if (!dead.IsEmpty && dead.Edit(null, out var stored))
            _ = dead.Edit(stored, out _);
    }
}
