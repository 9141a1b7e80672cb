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
        Assert.True(Conditions.Holds(c, "\"a\""));
        Assert.True(Conditions.Holds(c, null));
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
        Assert.True(Conditions.Holds(From("\"a\""), "\"a\""));
        Assert.True(Conditions.Holds(From("\"x\", \"a\""), "\"a\""));
        Assert.False(Conditions.Holds(From("\"b\""), "\"a\""));
        // RFC 9110 §13.1.1: weak tags never match under If-Match.
        Assert.False(Conditions.Holds(From("W/\"a\""), "\"a\""));
        // Nothing there: If-Match fails, even for *.
        Assert.False(Conditions.Holds(From("\"a\""), null));
        Assert.False(Conditions.Holds(From("*"), null));
        Assert.True(Conditions.Holds(From("*"), "\"a\""));
    }

    [Fact]
    public void IfNoneMatchUsesWeakComparison()
    {
        Assert.False(Conditions.Holds(From(ifNoneMatch: "\"a\""), "\"a\""));
        Assert.False(Conditions.Holds(From(ifNoneMatch: "W/\"a\""), "\"a\""));
        Assert.False(Conditions.Holds(From(ifNoneMatch: "\"x\", \"a\""), "\"a\""));
        Assert.True(Conditions.Holds(From(ifNoneMatch: "\"b\""), "\"a\""));
        Assert.False(Conditions.Holds(From(ifNoneMatch: "*"), "\"a\""));
        // Nothing there: If-None-Match holds (create-only PUT).
        Assert.True(Conditions.Holds(From(ifNoneMatch: "*"), null));
        Assert.True(Conditions.Holds(From(ifNoneMatch: "\"a\""), null));
    }

    [Fact]
    public void BothHeadersMustHold()
    {
        Assert.True(Conditions.Holds(From("\"a\"", "\"b\""), "\"a\""));
        Assert.False(Conditions.Holds(From("\"a\"", "\"a\""), "\"a\""));
        Assert.False(Conditions.Holds(From("\"a\"", "*"), "\"a\""));
        Assert.False(Conditions.Holds(From("\"b\"", "\"c\""), "\"a\""));
    }
}
