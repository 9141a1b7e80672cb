using Caldera.Imip.Itip;

namespace Caldera.Imip.Tests.Itip;

public sealed class MethodLineTests
{
    [Fact]
    public void Only_the_calendars_method_goes_and_every_other_byte_stays()
    {
        var text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nX-WR-CALNAME:Work\r\nBEGIN:VEVENT\r\nUID:a\r\n" +
                   "DESCRIPTION:A long line that is\r\n  folded here\r\nX-ALT-DESC;FMTTYPE=text/html:<b>x</b>\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        Assert.Equal(text.Replace("METHOD:REQUEST\r\n", ""), MethodLine.Remove(text));
    }

    [Fact]
    public void A_folded_or_parameterised_method_goes_whole_and_lf_only_text_keeps_its_line_ends()
    {
        var text = "BEGIN:VCALENDAR\nMETHOD;X-P=1:REQ\n UEST\nVERSION:2.0\nEND:VCALENDAR\n";
        Assert.Equal("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", MethodLine.Remove(text));
        // METHOD inside a component is a property of that component, not the calendar's: it stays
        var nested = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nMETHOD:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        Assert.Equal(nested, MethodLine.Remove(nested));
    }
}
