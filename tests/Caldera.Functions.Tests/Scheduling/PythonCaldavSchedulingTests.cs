using System.Diagnostics;
using Caldera.Functions.Tests.Imip;
using Caldera.Imip.Mime;
using static Caldera.Functions.Tests.Scheduling.SchedulingText;

namespace Caldera.Functions.Tests.Scheduling;

/// <summary>
/// The issue's end-to-end scenario with python-caldav as the client (python_scheduling_scenario.py, Debian's
/// python3-caldav): alice invites bob and carol@example.com; bob accepts from his inbox; carol's email is captured
/// by the SMTP server, read back by Caldera's ImipMailReader and Python's email + icalendar, and her emailed REPLY
/// reaches alice's copy; alice moves an instance and cancels the series; bob's calendar follows and carol is mailed.
/// </summary>
[Collection(SchedulingServerCollection.Name)]
public sealed class PythonCaldavSchedulingTests(SchedulingServerFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    const string Python = "/usr/bin/python3"; // Debian's, where python3-caldav and python3-icalendar live
    const string Carol = "carol@example.com";
    static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "Caldera.Functions.Tests", "Scheduling", "python_scheduling_scenario.py");

    async Task<string> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Script);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + Python);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using (var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
        {
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"{args[0]} did not finish: {await stdout}");
            }
        }
        var text = await stdout;
        output.WriteLine($"--- {args[0]} ---\n{text}\n{await stderr}");
        Assert.True(process.ExitCode == 0, $"{args[0]} failed: {text.Split('\n').LastOrDefault(l => l.StartsWith("FAIL", StringComparison.Ordinal)) ?? text}");
        return text;
    }

    static string Value(string output, string key) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    async Task<InboundMail> CarolsMailAsync(string uid, string method)
    {
        var (_, mail) = await fixture.SentAsync("alice", Carol, uid, method);
        using var raw = new MemoryStream(mail.Raw);
        var read = ImipMailReader.Read(raw, ImipLimits.Default);
        Assert.True(read.Mail is not null, $"carol's {method} does not read as iMIP: {read.Refusal}");
        Assert.Equal(method, read.Mail.Method);
        var file = Path.Combine(Path.GetTempPath(), $"caldera-{uid}-{method}.eml");
        await File.WriteAllBytesAsync(file, mail.Raw);
        try
        {
            var python = await RunAsync("read-mail", file);
            Assert.Equal(method, Value(python, "method"));
            Assert.Equal(uid, Value(python, "uid"));
        }
        finally
        {
            File.Delete(file);
        }
        return read.Mail;
    }

    [Fact]
    public async Task Python_caldav_invites_a_user_and_an_outside_attendee_then_moves_an_instance_and_cancels()
    {
        var url = fixture.Server.BaseUri.ToString();
        var password = SchedulingServerFixture.Password;
        var uid = Value(await RunAsync("invite", url, password, password), "uid");

        var request = await CarolsMailAsync(uid, "REQUEST");
        var sequence = Ical.Net.Calendar.Load(request.CalendarText)!.Events.First().Sequence;
        var reply = MailBuilder.Itip("REPLY",
            $"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260105T000000Z\r\nSEQUENCE:{sequence}\r\n" +
            $"ORGANIZER:{Mailto("alice")}\r\nATTENDEE;PARTSTAT=TENTATIVE:mailto:{Carol}\r\nEND:VEVENT\r\n");
        var answered = await fixture.PostImipAsync(MailBuilder.Build(Carol, "alice@example.com", "REPLY", reply), "alice@example.com", "alice");
        Assert.True(answered.Status == "applied", $"carol's REPLY: {answered}");
        var name = await fixture.FindAsync("alice", "default", uid);
        Assert.NotNull(name);
        var record = await fixture.Store.GetObjectAsync("alice", "default", name, default);
        var alices = System.Text.Encoding.UTF8.GetString((await fixture.Store.ReadBodyAsync(record!, default))!);
        Assert.Equal("TENTATIVE", PartStat(alices, "mailto:" + Carol));
        Assert.Equal("ACCEPTED", PartStat(alices, Mailto("bob")));

        await RunAsync("move-and-cancel", url, password, password, uid);
        var cancel = await CarolsMailAsync(uid, "CANCEL");
        Assert.Contains($"UID:{uid}", cancel.CalendarText, StringComparison.Ordinal);
        var rows = await fixture.OutboundAsync("alice");
        Assert.True(rows.Count(r => r.To == Carol && r.Uid == uid && r.Method == "REQUEST") >= 2,
            "carol was not mailed the moved instance: " + string.Join("; ", rows.Where(r => r.Uid == uid).Select(r => $"{r.Method} {r.To} {r.Status}")));
    }
}
