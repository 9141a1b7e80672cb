using Caldera.Storage;
using Microsoft.AspNetCore.Http;

namespace Caldera.Dav.Tests;

public class ConditionsTests
{
    static WriteConditions From(string? ifMatch = null, string? ifNoneMatch = null, params string[] moreIfMatch)
    {
        var context = new DefaultHttpContext();
        if (ifMatch is not null)
            context.Request.Headers.IfMatch = new Microsoft.Extensions.Primitives.StringValues([ifMatch, .. moreIfMatch]);
        if (ifNoneMatch is not null)
            context.Request.Headers.IfNoneMatch = ifNoneMatch;
        return Conditions.From(context.Request);
    }

    [Fact]
    public void NoHeadersMeanNoConditions()
    {
        var c = From();
        Assert.Empty(c.IfMatch);
        Assert.Empty(c.IfNoneMatch);
        Assert.True(c.HoldFor("\"a\""));
        Assert.True(c.HoldFor(null));
    }

    [Fact]
    public void ListsAreSplitOnCommasOutsideQuotes()
    {
        var c = From("\"a\", W/\"b\" ,\"c,d\"", "*");
        Assert.Equal(["\"a\"", "W/\"b\"", "\"c,d\""], c.IfMatch);
        Assert.Equal(["*"], c.IfNoneMatch);
    }

    [Fact]
    public void RepeatedHeaderLinesAreCombined()
    {
        var c = From("\"a\"", null, "\"b\", \"c\"");
        Assert.Equal(["\"a\"", "\"b\"", "\"c\""], c.IfMatch);
    }

    [Fact]
    public void IfMatchUsesStrongComparison()
    {
        Assert.True(From("\"a\"").HoldFor("\"a\""));
        Assert.True(From("\"x\", \"a\"").HoldFor("\"a\""));
        Assert.False(From("\"b\"").HoldFor("\"a\""));
        // RFC 9110 §13.1.1: weak tags never match under If-Match.
        Assert.False(From("W/\"a\"").HoldFor("\"a\""));
        // Nothing there: If-Match fails, even for *.
        Assert.False(From("\"a\"").HoldFor(null));
        Assert.False(From("*").HoldFor(null));
        Assert.True(From("*").HoldFor("\"a\""));
    }

    [Fact]
    public void IfNoneMatchUsesWeakComparison()
    {
        Assert.False(From(ifNoneMatch: "\"a\"").HoldFor("\"a\""));
        Assert.False(From(ifNoneMatch: "W/\"a\"").HoldFor("\"a\""));
        Assert.False(From(ifNoneMatch: "\"x\", \"a\"").HoldFor("\"a\""));
        Assert.True(From(ifNoneMatch: "\"b\"").HoldFor("\"a\""));
        Assert.False(From(ifNoneMatch: "*").HoldFor("\"a\""));
        // Nothing there: If-None-Match holds (create-only PUT).
        Assert.True(From(ifNoneMatch: "*").HoldFor(null));
        Assert.True(From(ifNoneMatch: "\"a\"").HoldFor(null));
    }

    [Fact]
    public void BothHeadersMustHold()
    {
        Assert.True(From("\"a\"", "\"b\"").HoldFor("\"a\""));
        Assert.False(From("\"a\"", "\"a\"").HoldFor("\"a\""));
        Assert.False(From("\"a\"", "*").HoldFor("\"a\""));
        Assert.False(From("\"b\"", "\"c\"").HoldFor("\"a\""));
    }
}
