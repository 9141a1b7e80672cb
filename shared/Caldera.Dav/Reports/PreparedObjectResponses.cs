using Caldera.Dav.Nodes;
using Caldera.Dav.Properties;
using Caldera.Dav.Xml;

namespace Caldera.Dav.Reports;

/// <summary>
/// Object responses ready to be written (<see cref="ObjectResponses.PrepareAsync"/>): the nodes, their bodies when
/// calendar-data was asked for, and either the calendar-data already rendered or how to render it.
/// </summary>
public sealed class PreparedObjectResponses
{
    readonly PropertyReader _reader;
    readonly DavContext _ctx;
    readonly PropertyPlan _plan;
    readonly IReadOnlyList<ObjectNode> _nodes;
    readonly byte[]?[]? _bodies;
    readonly Func<byte[], string>? _render;
    readonly string?[]? _rendered;

    internal PreparedObjectResponses(PropertyReader reader, DavContext ctx, PropertyPlan plan, IReadOnlyList<ObjectNode> nodes,
        byte[]?[]? bodies, Func<byte[], string>? render, string?[]? rendered = null)
    {
        _reader = reader;
        _ctx = ctx;
        _plan = plan;
        _nodes = nodes;
        _bodies = bodies;
        _render = render;
        _rendered = rendered;
    }

    public async Task WriteAsync(MultistatusWriter multistatus)
    {
        var values = new PropertyValues();
        var index = 0;
        // One delegate for all nodes; it reads the current one through index.
        PropertyReader.ExtraProperty calendarData = _ => _rendered?[index] ?? _render!(_bodies![index]!);
        for (; index < _nodes.Count; index++)
        {
            var node = _nodes[index];
            if (_bodies is not null && _bodies[index] is null)
            {
                await multistatus.WriteStatusAsync(node.Href, 404); // deleted while we read
                continue;
            }
            _reader.Read(node, _ctx, _plan, values, _bodies is null ? null : calendarData);
            await multistatus.WriteResponseAsync(node.Href, values);
        }
    }
}
