using System.Net;
using System.Net.Sockets;

namespace Caldera.Calendars.Providers.Subscriptions;

/// <summary>
/// Which addresses a feed may be fetched from: public unicast only. Loopback, private (RFC 1918, fc00::/7),
/// link-local, CGNAT (100.64/10), multicast, unspecified, broadcast and reserved ranges are refused, as are
/// IPv4-mapped/compatible IPv6 forms of them.
/// </summary>
public static class AddressGuard
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 ||                                  // 0.0.0.0/8 "this network", unspecified
                     b[0] == 10 ||                                 // private
                     b[0] == 127 ||                                // loopback
                     (b[0] == 100 && (b[1] & 0xC0) == 64) ||       // 100.64.0.0/10 shared (CGNAT)
                     (b[0] == 169 && b[1] == 254) ||               // link-local (cloud metadata lives here)
                     (b[0] == 172 && (b[1] & 0xF0) == 16) ||       // private
                     (b[0] == 192 && b[1] == 0 && b[2] == 0) ||    // IETF protocol assignments
                     (b[0] == 192 && b[1] == 168) ||               // private
                     (b[0] == 198 && (b[1] & 0xFE) == 18) ||       // benchmarking
                     b[0] >= 224);                                 // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback) ||
                address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
                return false;
            var b = address.GetAddressBytes();
            if (b.Take(12).All(x => x == 0))                       // ::a.b.c.d (IPv4-compatible, deprecated)
                return false;
            if (b[0] == 0x20 && b[1] == 0x02)                      // 6to4 2002::/16 embeds an IPv4 address
                return IsPublic(new IPAddress(b.AsSpan(2, 4)));
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) // NAT64 64:ff9b::/96
                return IsPublic(new IPAddress(b.AsSpan(12, 4)));
            return (b[0] & 0xE0) == 0x20;                          // global unicast 2000::/3 only
        }
        return false;
    }

    /// <summary>
    /// Resolves <paramref name="host"/> and returns its addresses if every one of them may be used; throws
    /// <see cref="FeedRefusedException"/> otherwise (one bad address refuses the host, so a mixed answer cannot be raced).
    /// </summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, bool allowPrivate, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0)
            throw new FeedRefusedException($"{host} has no addresses");
        if (!allowPrivate && addresses.FirstOrDefault(a => !IsPublic(a)) is { } bad)
            throw new FeedRefusedException($"{host} resolves to {bad}, a loopback, private, link-local or otherwise non-public address; fetching it is not allowed");
        return addresses;
    }
}

/// <summary>A feed that may not be fetched (address policy, URL scheme).</summary>
public sealed class FeedRefusedException(string message) : Exception(message);
