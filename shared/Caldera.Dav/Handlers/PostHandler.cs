using Caldera.Dav.Scheduling;

namespace Caldera.Dav.Handlers;

/// <summary>
/// POST has two meanings here: at a calendar's Add-Member URI it creates an object (RFC 5995), everywhere else it is a
/// scheduling request, which only the outbox accepts (RFC 6638 §5; elsewhere 405).
/// </summary>
public sealed class PostHandler(AddMemberHandler addMember, OutboxPostHandler outbox) : IMethodHandler
{
    public IReadOnlyList<string> Methods => ["POST"];

    public Task HandleAsync(DavContext ctx) =>
        AddMember.IsTarget(ctx.Request) ? addMember.HandleAsync(ctx) : outbox.HandleAsync(ctx);
}
