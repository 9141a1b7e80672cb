using System.Xml.Linq;
using Caldera.Dav.Nodes;

namespace Caldera.Dav.Reports;

/// <summary>One REPORT (Xandikos' reporter shape): the body element it answers and where it applies.</summary>
public interface IReport
{
    XName Name { get; }
    bool AppliesTo(DavNode node);
    Task RunAsync(DavContext ctx, DavNode node, XElement body);
}
