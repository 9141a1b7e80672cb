using System.Net;
using Caldera.Dav;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav.Tests;

/// <summary>The address failed sign-ins are counted under.</summary>
public sealed class ClientAddressTests
{
    static HttpContext From(string remote, string? header = null, string? value = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (header is not null)
            context.Request.Headers[header] = value;
        return context;
    }

    [Fact]
    public void The_connections_address_is_used_and_a_forwarded_header_is_ignored_unless_configured()
    {
        Assert.Equal("198.51.100.7", ClientAddress.Of(From("198.51.100.7", "X-Forwarded-For", "203.0.113.1"), null));
        Assert.Equal("198.51.100.7", ClientAddress.Of(From("::ffff:198.51.100.7"), null));
    }

    [Fact]
    public void An_IPv6_client_is_counted_by_its_64_bit_network()
    {
        Assert.Equal("2001:db8:1:2::/64", ClientAddress.Of(From("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), null));
        Assert.Equal(ClientAddress.Of(From("2001:db8:1:2::1"), null), ClientAddress.Of(From("2001:db8:1:2::ffff"), null));
    }

    [Theory]
    [InlineData("203.0.113.1", "203.0.113.1")]
    [InlineData("10.0.0.1, 203.0.113.1", "203.0.113.1")] // the first entry is whatever the client sent
    [InlineData("10.0.0.1,203.0.113.1:51234", "203.0.113.1")]
    [InlineData("[2001:db8::5]:443", "2001:db8::/64")]
    [InlineData("not an address", "127.0.0.1")] // unreadable: the connection's address
    public void A_configured_header_gives_its_last_entry(string value, string expected)
    {
        Assert.Equal(expected, ClientAddress.Of(From("127.0.0.1", "X-Client-Address", value), "X-Client-Address"));
    }
}
