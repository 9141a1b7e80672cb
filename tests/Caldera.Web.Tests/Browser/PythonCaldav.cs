using System.Diagnostics;

namespace Caldera.Web.Tests.Browser;

/// <summary>
/// A device that is not ours: python-caldav (Debian's python3-caldav, installed by tests/run.sh) connects to the
/// server URL with a user name and app password and prints "name url" for each calendar it discovers. An
/// authorization failure prints "unauthorized" and exits 3; any other failure is a traceback and exit 1.
/// </summary>
public static class PythonCaldav
{
    public const int Unauthorized = 3;

    // The password goes through the environment, not the command line (process lists show arguments).
    const string Script = """
        import os, sys
        import caldav
        from caldav.lib import error
        url, user = sys.argv[1], sys.argv[2]
        try:
            client = caldav.DAVClient(url=url, username=user, password=os.environ["CALDERA_TEST_PASSWORD"])
            for calendar in client.principal().calendars():
                print(calendar.name, calendar.url)
        except error.AuthorizationError as e:
            print("unauthorized:", e)
            sys.exit(3)
        """;

    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    public static async Task<Result> ListCalendarsAsync(Uri serverUrl, string user, string password)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { "-c", Script, serverUrl.ToString(), user },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["CALDERA_TEST_PASSWORD"] = password },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("python-caldav did not finish within 60 s");
        }
        return new Result(process.ExitCode, await stdout + await stderr);
    }
}
