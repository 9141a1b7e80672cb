using System.Text;
using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Query;
using Caldera.Dav;
using Caldera.Dav.Properties;
using Caldera.Dav.Reports;
using Caldera.Dav.Xml;
using Caldera.Fuzz.Tests.Harness;
using Caldera.Fuzz.Tests.Mutation;
using Ical.Net;
using Microsoft.AspNetCore.Http;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Fuzz.Tests.Targets;

/// <summary>
/// calendar-query parsing and evaluation: the filter, the calendar-data request and the request time zone are read
/// (only a 4xx <see cref="DavException"/> may escape), then the filter is evaluated and the calendar-data applied to
/// every iCalendar seed of the corpus (only <see cref="InstanceLimitException"/>, answered 403 CALDAV:max-instances,
/// may escape).
/// </summary>
public sealed class FilterTarget : IFuzzTarget
{
    static readonly Lazy<IReadOnlyList<(string Text, Calendar Calendar)>> Objects = new(() =>
        Corpus.Files("ical").Where(f => Path.GetFileName(f).StartsWith("seed-", StringComparison.Ordinal))
            .Select(f => File.ReadAllText(f, Encoding.UTF8)).Select(t => (t, Calendar.Load(t)!)).ToList());

    public string Name => "filter";
    public string Extension => "xml";

    public FsCheck.Gen<byte[]> Inputs(IReadOnlyList<byte[]> seeds) => SeedGen.From(seeds, new XmlMutations(seeds).Mutate);

    public long Check(byte[] input)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(input);
        XElement? root = null;
        DavErrors.Allow4xx(() => root = DavXml.ReadAsync(context.Request, XmlBodyTarget.MaxBody, CancellationToken.None).GetAwaiter().GetResult()?.Root);
        if (root is null)
            return 0;
        (CompFilter Filter, TimeZoneInfo? Zone, CalendarDataRequest Data)? query = null;
        DavErrors.Allow4xx(() => query = Parse(root));
        if (query is not { } q)
            return 0;
        long answer = 0;
        foreach (var (text, calendar) in Objects.Value)
        {
            _ = FilterEvaluator.Matches(calendar, q.Filter, q.Zone ?? TimeZoneInfo.Utc, text);
            try
            {
                answer += 2L * CalendarDataFilter.Apply(text, q.Data).Length;
            }
            catch (InstanceLimitException)
            {
            }
        }
        return answer;
    }

    /// <summary>What the calendar-query report reads from its body before it looks at any object.</summary>
    public static (CompFilter, TimeZoneInfo?, CalendarDataRequest) Parse(XElement root)
    {
        var filter = FilterParser.Parse(root.Element(C + "filter"));
        DateLimits.Check(filter);
        var zone = RequestTimeZone.Of(root);
        _ = PropRequest.From(root, required: false);
        var data = CalendarDataParser.Parse(root.Element(D + "prop")?.Element(C + "calendar-data"));
        return (filter, zone, data);
    }
}
