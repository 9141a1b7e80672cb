using System.Net;
using static Caldera.Functions.Tests.Dav.DavHelpers;

namespace Caldera.Functions.Tests.Faults;

/// <summary>What a storage outage looks like at the HTTP surface: 503 with Retry-After and a DAV:error body, not a 500.</summary>
[Collection(FaultServerCollection.Name)]
public sealed class StorageOutageTests(FaultServerFixture server)
{
    [Theory]
    [InlineData(FaultKind.Status503)]
    [InlineData(FaultKind.Status500)]
    [InlineData(FaultKind.Reset)]
    [InlineData(FaultKind.Timeout)]
    public async Task A_read_during_a_storage_outage_is_503_with_retry_after(FaultKind kind)
    {
        using var client = server.Client();
        var path = await MakeCalendarAsync(client, FaultServerFixture.User, Unique("out"));
        var request = Xml(Propfind, path, PropfindBody(D + "displayname"), "0");
        var id = server.Arm(request, new FaultPlan(1, kind, FaultMode.FromNOn));
        var response = await SendAsync(client, request);

        Assert.True(response.Status == HttpStatusCode.ServiceUnavailable, $"{kind}: {response}");
        Assert.Equal(TimeSpan.FromSeconds(Caldera.Dav.DavEngine.OutageRetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.Equal(D + "error", response.Xml.Root!.Name);
        // Every try the SDK made (its own retries included) met the outage.
        var plan = server.PlanOf(id);
        Assert.True(plan.Calls >= 1 && plan.Injected == plan.Calls, $"{kind}: {plan.Calls} calls, {plan.Injected} faults");
        // The outage over, the same request succeeds.
        Assert.Equal(HttpStatusCode.MultiStatus, (await SendAsync(client, Xml(Propfind, path, PropfindBody(D + "displayname"), "0"))).Status);
    }
}
