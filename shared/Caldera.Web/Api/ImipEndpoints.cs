using Caldera.Storage.Imip;

namespace Caldera.Web.Api;

/// <summary>imip: what became of the invitations emailed to the user (newest first, at most <see cref="MaxRows"/>).</summary>
public sealed class ImipEndpoints(ImipStatusStore statuses) : IApiEndpoints
{
    public const int MaxRows = 100;

    public IEnumerable<ApiRoute> Routes => [new("GET", "imip", ListAsync)];

    async Task ListAsync(ApiContext ctx)
    {
        var rows = await statuses.ListAsync(ctx.User, MaxRows, ctx.Cancellation);
        await ApiJson.OkAsync(ctx, rows.Select(r => new { received = r.Received, from = r.From, subject = r.Subject, status = r.Status, reason = r.Reason }).ToList());
    }
}
