using System.Diagnostics;
using Xunit.Abstractions;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// Debian's python3-caldav finds the scheduling collections the way a client does (issue 14, point 4):
/// <c>check_scheduling_support()</c> is true, <c>schedule_inbox()</c> lists a delivered message and
/// <c>schedule_outbox()</c> takes a free-busy POST (DavPythonCaldavScheduling.py, run with /usr/bin/python3).
/// </summary>
[Collection(DavSchedulingCollection.Name)]
public sealed class DavPythonCaldavTests(DavSchedulingFixture server, ITestOutputHelper output)
{
    const string Python = "/usr/bin/python3"; // Debian's, where python3-caldav lives

    [Fact]
    public async Task Python_caldav_discovers_inbox_and_outbox_and_asks_for_free_busy()
    {
        await DavSchedulingStore.DeliverAsync(server, "bob", Guid.NewGuid().ToString("N") + ".ics");
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "Caldera.Functions.Tests", "Scheduling", "DavPythonCaldavScheduling.py"));
        psi.ArgumentList.Add(server.BaseUri.AbsoluteUri);
        psi.ArgumentList.Add("bob");
        psi.ArgumentList.Add(DavSchedulingFixture.Passwords["bob"]);
        psi.ArgumentList.Add("mailto:dora@example.com");
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Python);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
        var text = await stdout;
        output.WriteLine(text);
        output.WriteLine(await stderr);
        Assert.True(process.ExitCode == 0, text);
        foreach (var step in new[] { "check_scheduling_support", "schedule_inbox", "inbox items", "schedule_outbox", "busy time returned" })
            Assert.Contains("ok " + step, text);
    }
}
