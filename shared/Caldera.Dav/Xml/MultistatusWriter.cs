using System.Xml;
using System.Xml.Linq;
using Caldera.Dav.Properties;
using Microsoft.AspNetCore.Http;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Xml;

/// <summary>
/// Writes a 207 DAV:multistatus (RFC 4918 §13) to the response as it is produced, one response at a time, so the
/// whole answer is never held in memory: the XML goes into a buffer that is sent each time it holds
/// <see cref="ChunkSize"/> bytes. Nothing reaches the client, not even the status, before the first chunk, so a
/// failure until then is still answered with its own status; an answer that fits in one chunk is sent whole, with
/// Content-Length. Once a chunk is out, a failure can only cut the answer (<see cref="DavEngine"/> then aborts the
/// connection): callers do everything that can fail with a 4xx (parsing, limits, rendering that can refuse)
/// before they write the first response. Disposing without <see cref="CompleteAsync"/> sends nothing more.
/// <c>Prefer: return=minimal</c> is applied here, response by response (<see cref="PreferMinimal"/>).
/// </summary>
public sealed class MultistatusWriter : IDisposable
{
    /// <summary>Bytes gathered before they are sent: few writes to the network, and below the large object heap.</summary>
    public const int ChunkSize = 32 * 1024;

    static readonly string Dav = D.NamespaceName;

    readonly HttpResponse _response;
    readonly CancellationToken _ct;
    readonly MemoryStream _buffer = new(ChunkSize + ChunkSize / 2);
    readonly XmlWriter _xml;
    readonly bool _minimal;
    bool _started;

    public MultistatusWriter(HttpResponse response, CancellationToken ct)
    {
        _response = response;
        _ct = ct;
        _minimal = PreferMinimal.Requested(response.HttpContext.Request);
        _xml = XmlWriter.Create(_buffer, DavXml.WriterSettings);
        _xml.WriteStartDocument();
        _xml.WriteStartElement("D", "multistatus", Dav);
        foreach (var (prefix, ns) in Prefixes)
            _xml.WriteAttributeString("xmlns", prefix, null, ns.NamespaceName);
    }

    /// <summary>A response with the values of one node: a 200 propstat and a 404 one, each left out when empty.</summary>
    public ValueTask WriteResponseAsync(string href, PropertyValues values)
    {
        var found = values.Found.Count > 0;
        var missing = values.Missing.Count > 0;
        if (_minimal && missing && !found)
            return default; // only 404s: nothing left to say
        StartResponse(href);
        if (found)
        {
            StartPropstat();
            foreach (var (name, value) in values.Found)
                WriteProperty(name, value);
            EndPropstat(200);
        }
        if (missing && !_minimal)
        {
            StartPropstat();
            foreach (var name in values.Missing)
            {
                _xml.WriteStartElement(null, name.LocalName, name.NamespaceName);
                _xml.WriteEndElement();
            }
            EndPropstat(404);
        }
        _xml.WriteEndElement();
        return SendIfFullAsync();
    }

    /// <summary>A response with one propstat per group (with its DAV:error, if any); empty groups are left out.</summary>
    public ValueTask WriteResponseAsync(string href, IEnumerable<Propstat> propstats)
    {
        var groups = propstats.Where(p => p.Properties.Count > 0).ToList();
        var kept = _minimal ? groups.Where(p => p.Status != 404).ToList() : groups;
        if (kept.Count == 0 && groups.Count > 0)
            return default;
        StartResponse(href);
        foreach (var group in kept)
        {
            StartPropstat();
            foreach (var property in group.Properties)
                property.WriteTo(_xml);
            EndPropstat(group.Status, group.Error, group.Description);
        }
        _xml.WriteEndElement();
        return SendIfFullAsync();
    }

    /// <summary>A response that is only a status (a 404 member in a report).</summary>
    public ValueTask WriteStatusAsync(string href, int status)
    {
        StartResponse(href);
        WriteStatus(status);
        _xml.WriteEndElement();
        return SendIfFullAsync();
    }

    /// <summary>Any other child of the multistatus (a response built whole, DAV:sync-token).</summary>
    public ValueTask WriteAsync(XElement element)
    {
        if (_minimal && !PreferMinimal.Trim(element))
            return default;
        element.WriteTo(_xml);
        return SendIfFullAsync();
    }

    /// <summary>Closes the multistatus and sends what is left.</summary>
    public async Task CompleteAsync()
    {
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
        _xml.Flush();
        if (!_started)
            Start(_buffer.Length);
        await SendBufferAsync();
    }

    public void Dispose()
    {
        _xml.Dispose();
        _buffer.Dispose();
    }

    void StartResponse(string href)
    {
        _xml.WriteStartElement("D", "response", Dav);
        _xml.WriteStartElement("D", "href", Dav);
        _xml.WriteString(href);
        _xml.WriteEndElement();
    }

    void StartPropstat()
    {
        _xml.WriteStartElement("D", "propstat", Dav);
        _xml.WriteStartElement("D", "prop", Dav);
    }

    void EndPropstat(int status, XElement? error = null, string? description = null)
    {
        _xml.WriteEndElement(); // prop
        WriteStatus(status);
        if (error is not null)
        {
            _xml.WriteStartElement("D", "error", Dav);
            error.WriteTo(_xml);
            _xml.WriteEndElement();
        }
        if (description is not null)
        {
            _xml.WriteStartElement("D", "responsedescription", Dav);
            _xml.WriteString(description);
            _xml.WriteEndElement();
        }
        _xml.WriteEndElement(); // propstat
    }

    void WriteStatus(int status)
    {
        _xml.WriteStartElement("D", "status", Dav);
        _xml.WriteString(Multistatus.StatusLine(status));
        _xml.WriteEndElement();
    }

    /// <summary>Writes what <c>new XElement(name, value)</c> would, without building it for the common values.</summary>
    void WriteProperty(XName name, object? value)
    {
        switch (value)
        {
            case null:
                _xml.WriteStartElement(null, name.LocalName, name.NamespaceName);
                _xml.WriteEndElement();
                break;
            case string text:
                _xml.WriteStartElement(null, name.LocalName, name.NamespaceName);
                _xml.WriteString(text);
                _xml.WriteFullEndElement();
                break;
            case XElement child:
                _xml.WriteStartElement(null, name.LocalName, name.NamespaceName);
                child.WriteTo(_xml);
                _xml.WriteEndElement();
                break;
            case WholeProperty whole:
                whole.Element.WriteTo(_xml);
                break;
            case IEnumerable<XElement> children:
                _xml.WriteStartElement(null, name.LocalName, name.NamespaceName);
                foreach (var child in children)
                    child.WriteTo(_xml);
                _xml.WriteEndElement();
                break;
            default:
                new XElement(name, value).WriteTo(_xml);
                break;
        }
    }

    ValueTask SendIfFullAsync() => _buffer.Length >= ChunkSize ? new ValueTask(SendChunkAsync()) : default;

    async Task SendChunkAsync()
    {
        _xml.Flush();
        if (!_started)
            Start(contentLength: null);
        await SendBufferAsync();
    }

    void Start(long? contentLength)
    {
        _started = true;
        _response.StatusCode = 207;
        _response.ContentType = "application/xml; charset=utf-8";
        if (contentLength is { } length)
            _response.ContentLength = length;
        if (_minimal)
            PreferMinimal.MarkApplied(_response);
    }

    async Task SendBufferAsync()
    {
        // A client that went away stops the writing here rather than after every remaining response.
        _ct.ThrowIfCancellationRequested();
        await _response.Body.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), _ct);
        _buffer.Position = 0;
        _buffer.SetLength(0);
    }
}
