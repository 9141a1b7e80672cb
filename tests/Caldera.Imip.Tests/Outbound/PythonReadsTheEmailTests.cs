using System.Diagnostics;
using Caldera.Imip.Outbound;
using static Caldera.Imip.Tests.Outbound.OutboundSamples;

namespace Caldera.Imip.Tests.Outbound;

/// <summary>A reader that is not MimeKit: Debian's Python with its email package and python3-icalendar.</summary>
public class PythonReadsTheEmailTests
{
    [Theory]
    [InlineData("REQUEST")]
    [InlineData("CANCEL")]
    public async Task Python_email_and_icalendar_read_the_method_and_calendar(string method)
    {
        var calendar = Calendar(method, summary: "Réunion – Köln");
        var built = ImipMessageBuilder.Build(Request(method, calendar), Id, Date, Settings());
        var path = Path.Combine(Path.GetTempPath(), $"caldera-outbound-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(path, ImipMessageBuilder.Serialize(built.Message).ToArray());
        try
        {
            var output = await PythonMailReader.ReadAsync(path);
            Assert.Equal(
                [$"method={method}", $"ical-method={method}", "summary=Réunion – Köln", "uid=evt-1@example.com", "from=alice@example.com",
                 "subject-has-summary=True", "same-text=True"],
                output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

/// <summary>Runs /usr/bin/python3 (Debian's, where python3-icalendar lives) on a saved email.</summary>
static class PythonMailReader
{
    const string Script = """
        import sys, email, email.policy, icalendar
        raw = open(sys.argv[1], 'rb').read()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = [p for p in msg.walk() if p.get_content_type() == 'text/calendar']
        assert len(parts) == 1, len(parts)
        part = parts[0]
        text = part.get_content()
        cal = icalendar.Calendar.from_ical(text)
        event = [c for c in cal.walk() if c.name == 'VEVENT'][0]
        attached = [p for p in msg.walk() if p.get_filename() == 'invite.ics'][0].get_payload(decode=True).decode('utf-8')
        print('method=' + part.get_param('method'))
        print('ical-method=' + str(cal['METHOD']))
        print('summary=' + str(event['SUMMARY']))
        print('uid=' + str(event['UID']))
        print('from=' + msg['From'].addresses[0].addr_spec)
        print('subject-has-summary=' + str(str(event['SUMMARY']) in str(msg['Subject'])))
        print('same-text=' + str(attached == text))
        """;

    public static async Task<string> ReadAsync(string emlPath)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(emlPath);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3 failed: {await stderr}");
        return await stdout;
    }
}
