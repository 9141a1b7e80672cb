using System.Xml.Linq;
using Caldera.Dav.Nodes;

namespace Caldera.Dav.Properties;

/// <summary>
/// One live property: its name, how to read it from a node (null = not defined there, a 404 propstat),
/// and whether allprop includes it. Values are XML content: a string, an element or elements.
/// </summary>
public sealed record LiveProperty(XName Name, Func<DavNode, DavContext, object?> Get, bool InAllProp = true);
