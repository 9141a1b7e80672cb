using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav;

/// <summary>
/// The client address sign-in failures are counted under. By default the connection's address, which on Azure the
/// worker's forwarded-headers middleware has already taken from the Functions host's X-Forwarded-For (it trusts only
/// the loopback host). <see cref="DavOptions.ClientAddressHeader"/> names a header set by a trusted front end instead;
/// its last entry is used (the one that front end added; earlier ones are whatever the client sent).
/// An IPv6 client is counted by its /64 network: one subscriber usually holds a whole /64.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    public static string Of(HttpContext context, string? trustedHeader)
    {
        IPAddress? address = null;
        if (!string.IsNullOrEmpty(trustedHeader))
        {
            var values = context.Request.Headers[trustedHeader].ToString();
            var last = values[(values.LastIndexOf(',') + 1)..].Trim();
            address = Parse(last);
        }
        address ??= context.Connection.RemoteIpAddress;
        return address is null ? Unknown : Key(address);
    }

    /// <summary>An address, or an address with a port ("1.2.3.4:5678", "[::1]:5678") as some front ends write them.</summary>
    static IPAddress? Parse(string text) =>
        IPAddress.TryParse(text, out var address) ? address
        : IPEndPoint.TryParse(text, out var endpoint) ? endpoint.Address
        : null;

    static string Key(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
