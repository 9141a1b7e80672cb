using Caldera.Fuzz.Tests.Harness;
using Caldera.Fuzz.Tests.Targets;
using Xunit.Abstractions;

namespace Caldera.Fuzz.Tests;

/// <summary>
/// FsCheck-generated mutations of each target's corpus: no exception but the documented ones, no hang, bounded
/// allocation. CI runs the counts below with a fixed seed; tests/bench/fuzz.sh runs long campaigns (FUZZ_CASES, FUZZ_SEED).
/// </summary>
public sealed class FuzzPropertyTests(ITestOutputHelper output)
{
    [Fact]
    public void Xml_request_readers_refuse_mutated_bodies_with_4xx_only() => Run(new XmlBodyTarget(), 1000);

    [Fact]
    public void Filters_parse_and_evaluate_mutated_queries_without_crashing() => Run(new FilterTarget(), 300);

    [Fact]
    public void ICalendar_validator_refuses_mutated_objects_with_its_own_error_only() => Run(new ICalendarTarget(), 300);

    [Fact]
    public void Mime_reader_answers_mutated_mails_with_a_mail_or_a_refusal() => Run(new MimeTarget(), 600);

    void Run(IFuzzTarget target, int ciCases)
    {
        var result = Campaign.Run(target, ciCases);
        output.WriteLine(result.Summary());
        Assert.True(result.Failures.Count == 0, result.Summary());
    }
}
