using System.Diagnostics;
using Caldera.Calendars.Accounts;
using Caldera.Functions.Tests.Outbound;
using Caldera.Imip.Mime;
using Caldera.LocalHost;
using Caldera.LocalHost.Queues;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Caldera.Functions.Tests.Invitations;

/// <summary>
/// Issue 14's scenario as users live it: python-caldav is alice's and bob's client, a real SMTP server (in this
/// process) stands for the outside world, and carol@example.com exists only there. alice invites bob (a Caldera
/// user) and carol; bob accepts with python-caldav; carol answers by email through /imip; alice moves an instance
/// and cancels the series. The script checks every step from the clients' side; this test then reads every email
/// carol got through Caldera's own inbound iMIP reader.
/// </summary>
public sealed class InvitationsEndToEndTests(ITestOutputHelper output)
{
    const string Python = "/usr/bin/python3"; // Debian's, where python3-caldav and python3-icalendar live
    static readonly Dictionary<string, (string Email, string Password)> Users = new()
    {
        ["alice"] = ("alice@example.com", "alice-invitations-pw-1"),
        ["bob"] = ("bob@example.com", "bob-invitations-pw-22"),
    };

    [Fact]
    public async Task Alice_invites_bob_and_carol_and_everyone_follows_every_change()
    {
        await using var smtp = await CapturingSmtpServer.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var hostJson = Path.Combine(Path.GetDirectoryName(typeof(CalderaServices).Assembly.Location)!, "host.json");
        await using var server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            Queues = HostJsonQueueSettings.Read(hostJson) with
            {
                MaxPollingInterval = TimeSpan.FromMilliseconds(200),
                VisibilityTimeout = TimeSpan.FromMilliseconds(500),
            },
            Configuration = new Dictionary<string, string?>
            {
                ["Caldera:Smtp:Host"] = "127.0.0.1",
                ["Caldera:Smtp:Port"] = smtp.Port.ToString(),
                ["Caldera:Smtp:Security"] = "None",
                ["Caldera:Smtp:From"] = "Caldera <calendar@example.com>",
            },
        }, timeout.Token);
        var accounts = server.Services.GetRequiredService<IAccountService>();
        foreach (var (user, (address, password)) in Users)
        {
            Assert.Equal(CreateUserStatus.Created, await accounts.CreateUserAsync(user, char.ToUpperInvariant(user[0]) + user[1..], address, timeout.Token));
            Assert.NotNull(await accounts.CreateAppPasswordAsync(user, "python-caldav", password, timeout.Token));
        }

        // The script reads carol's mailbox as files, the way a mail client would see it.
        var mailDir = Directory.CreateTempSubdirectory("caldera-mail-").FullName;
        using var stopCopying = new CancellationTokenSource();
        var copying = CopyMailAsync(smtp, mailDir, stopCopying.Token);
        try
        {
            var (code, text) = await RunScenarioAsync(server, mailDir);
            output.WriteLine(text);
            if (code != 0)
                output.WriteLine("--- alice's iMIP status rows ---\n" + await ManagementAsync(server, "manage/users/alice/imip"));
            Assert.True(code == 0, "the scenario failed: " + text.Split('\n').LastOrDefault(l => l.StartsWith("FAIL ", StringComparison.Ordinal)));
        }
        finally
        {
            stopCopying.Cancel();
            await copying;
        }

        // Every email carol got is an iMIP message Caldera itself would accept, in the order alice acted.
        var toCarol = smtp.Received.Where(m => m.Recipients.Contains("carol@example.com", StringComparer.OrdinalIgnoreCase)).ToList();
        var methods = new List<string>();
        foreach (var mail in toCarol)
        {
            using var raw = new MemoryStream(mail.Raw);
            var read = ImipMailReader.Read(raw, ImipLimits.Default);
            Assert.Null(read.Refusal);
            Assert.Contains("UID:planning-", read.Mail!.CalendarText);
            methods.Add(read.Mail.Method);
        }
        Assert.Equal(["REQUEST", "REQUEST", "CANCEL"], methods);
        Assert.DoesNotContain(smtp.Received, m => m.Recipients.Any(r => r.EndsWith("@example.com", StringComparison.OrdinalIgnoreCase) && !r.StartsWith("carol@", StringComparison.OrdinalIgnoreCase)));
    }

    static async Task<string> ManagementAsync(RunningServer server, string path)
    {
        using var client = new HttpClient { BaseAddress = server.BaseUri };
        client.DefaultRequestHeaders.Add("x-functions-key", server.FunctionKey);
        return await client.GetStringAsync(path);
    }

    static async Task CopyMailAsync(CapturingSmtpServer smtp, string dir, CancellationToken stop)
    {
        var written = 0;
        while (true)
        {
            foreach (var mail in smtp.Received.Skip(written).ToList())
                await File.WriteAllBytesAsync(Path.Combine(dir, $"{++written:D4}.eml"), mail.Raw, CancellationToken.None);
            if (stop.IsCancellationRequested)
                return;
            try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
        }
    }

    async Task<(int Code, string Output)> RunScenarioAsync(RunningServer server, string mailDir)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "Caldera.Functions.Tests", "Invitations", "invitations_scenario.py"));
        psi.ArgumentList.Add(server.BaseUri.ToString());
        psi.ArgumentList.Add(server.FunctionKey);
        psi.ArgumentList.Add(Users["alice"].Password);
        psi.ArgumentList.Add(Users["bob"].Password);
        psi.ArgumentList.Add(mailDir);
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Python);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (-1, await stdout + "\n--- stderr ---\n" + await stderr + "\n(timed out after 5 minutes)");
        }
        var errors = await stderr;
        return (process.ExitCode, await stdout + (errors.Length > 0 ? "\n--- stderr ---\n" + errors : ""));
    }
}
