using System.Collections;
using Caldera.LocalHost;

namespace Caldera.Functions.Tests;

public sealed class LocalServerOptionsTests
{
    static LocalServerOptions.ParseResult Parse(string[] args, Dictionary<string, string>? env = null) =>
        LocalServerOptions.Parse(args, new Hashtable(env ?? []));

    [Fact]
    public void Defaults()
    {
        var o = Parse([]).Options!;
        Assert.Equal(7070, o.Port);
        Assert.Equal("caldera", o.User);
        Assert.False(o.InMemory);
        Assert.Null(o.DataFolder);
        Assert.Null(o.Storage);
        Assert.Null(o.Password);
        Assert.Null(o.FunctionKey);
    }

    [Fact]
    public void Environment_then_command_line()
    {
        var env = new Dictionary<string, string>
        {
            ["CALDERA_PORT"] = "8080", ["CALDERA_USER"] = "envuser", ["CALDERA_IN_MEMORY"] = "1",
            ["CALDERA_PASSWORD"] = "env-password-123", ["CALDERA_FUNCTION_KEY"] = "k1", ["CALDERA_STORAGE"] = "UseDevelopmentStorage=true",
        };
        var o = Parse([], env).Options!;
        Assert.Equal((8080, "envuser", true, "env-password-123", "k1", "UseDevelopmentStorage=true"),
            (o.Port, o.User, o.InMemory, o.Password, o.FunctionKey, o.Storage));

        o = Parse(["--port", "0", "--user", "cli", "--data", "/tmp/x", "--function-key", "k2", "--password", "cli-password-123"], env).Options!;
        Assert.Equal((0, "cli", false, "/tmp/x", "k2", "cli-password-123"), (o.Port, o.User, o.InMemory, o.DataFolder, o.FunctionKey, o.Password));
    }

    [Theory]
    [InlineData("--port", "x")]
    [InlineData("--port", "70000")]
    [InlineData("--port")]
    [InlineData("--bogus")]
    [InlineData("--data", "d", "--in-memory")]
    public void Bad_command_lines_are_errors(params string[] args)
    {
        var r = Parse(args);
        Assert.Null(r.Options);
        Assert.False(r.ShowHelp);
        Assert.False(string.IsNullOrEmpty(r.Error));
    }

    [Fact]
    public void Help_documents_every_option_and_variable()
    {
        Assert.True(Parse(["--help"]).ShowHelp);
        foreach (var word in new[] { "--port", "--data", "--in-memory", "--storage", "--user", "--password", "--function-key",
                     "CALDERA_PORT", "CALDERA_DATA", "CALDERA_IN_MEMORY", "CALDERA_STORAGE", "CALDERA_USER", "CALDERA_PASSWORD", "CALDERA_FUNCTION_KEY",
                     "CALDERA_URL=", "CALDERA_WEB_URL=" })
            Assert.Contains(word, LocalServerOptions.HelpText);
    }
}
