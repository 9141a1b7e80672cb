using MimeKit;
using MimeKit.Cryptography;

namespace Caldera.Imip.Mime;

/// <summary>
/// Reads the receiving gateway's verdict from Authentication-Results (RFC 8601). Anyone can write such a header
/// into a message, so only the gateway's own count: those whose authserv-id is trusted, or, when no ids are
/// configured, the topmost one (the gateway prepends its header above everything the sender wrote).
/// </summary>
internal static class AuthenticationVerdict
{
    /// <summary>A short text such as "dmarc=fail", or null when the counted headers show no failure.</summary>
    public static string? Failure(HeaderList headers, IReadOnlyCollection<string>? trustedAuthServIds)
    {
        var failures = new List<string>();
        foreach (var results in Counted(headers, trustedAuthServIds))
            foreach (var failure in FailuresIn(results))
                if (!failures.Contains(failure))
                    failures.Add(failure);
        return failures.Count == 0 ? null : string.Join("; ", failures);
    }

    private static IEnumerable<AuthenticationResults> Counted(HeaderList headers, IReadOnlyCollection<string>? trusted)
    {
        var byTrust = trusted is { Count: > 0 };
        foreach (var header in headers)
        {
            if (header.Id != HeaderId.AuthenticationResults)
                continue;
            var parsed = AuthenticationResults.TryParse(header.RawValue, out var results) ? results : null;
            if (!byTrust)
            {
                // Topmost only; if the gateway's own header cannot be read there is no verdict.
                if (parsed is not null)
                    yield return parsed;
                yield break;
            }
            if (parsed?.AuthenticationServiceIdentifier is { } id
                && trusted!.Any(t => string.Equals(t, id, StringComparison.OrdinalIgnoreCase)))
                yield return parsed;
        }
    }

    // spf and dmarc fail outright; a failing DKIM signature is harmless when another one in the same header passes
    // (mailing lists and forwarders break one signature and the origin's still verifies). softfail, neutral, none,
    // temperror and permerror are not failures.
    private static IEnumerable<string> FailuresIn(AuthenticationResults results)
    {
        bool Is(AuthenticationMethodResult r, string method, string result) =>
            string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)
            && string.Equals(r.Result, result, StringComparison.OrdinalIgnoreCase);

        if (results.Results.Any(r => Is(r, "spf", "fail")))
            yield return "spf=fail";
        if (results.Results.Any(r => Is(r, "dkim", "fail")) && !results.Results.Any(r => Is(r, "dkim", "pass")))
            yield return "dkim=fail";
        if (results.Results.Any(r => Is(r, "dmarc", "fail")))
            yield return "dmarc=fail";
    }
}
