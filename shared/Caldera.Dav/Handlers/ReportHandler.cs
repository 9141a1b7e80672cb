using System.Xml.Linq;
using Caldera.Dav.Nodes;
using Caldera.Dav.Reports;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Handlers;

/// <summary>REPORT (RFC 3253 §3.6): finds the report class for the body; an unknown or misplaced report is 403 DAV:supported-report.</summary>
public sealed class ReportHandler(NodeResolver resolver, IEnumerable<IReport> reports, DavOptions options) : IMethodHandler
{
    readonly Dictionary<XName, IReport> _reports = reports.ToDictionary(r => r.Name);

    public IReadOnlyList<string> Methods => ["REPORT"];

    public async Task HandleAsync(DavContext ctx)
    {
        var body = await DavXml.ReadAsync(ctx.Request, options.MaxXmlBodySize, ctx.Cancellation)
            ?? throw DavException.BadRequest("REPORT needs a body");
        var node = await resolver.ResolveAsync(ctx, ctx.Path) ?? throw DavException.NotFound();
        if (!_reports.TryGetValue(body.Root!.Name, out var report) || !report.AppliesTo(node))
            throw DavException.Forbidden($"the {body.Root.Name.LocalName} report is not supported here", new XElement(D + "supported-report"));
        await report.RunAsync(ctx, node, body.Root);
    }
}
