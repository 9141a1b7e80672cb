using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Caldera.Functions.Tests.Faults;

/// <summary>
/// A storage pipeline policy (added per retry, after Caldera's counting policy) that fails calls of the flow armed
/// with a <see cref="FaultPlan"/>. The plan lives in an AsyncLocal, so other requests and background work (whose
/// flow is suppressed) are never hit.
/// </summary>
public sealed class FaultInjectionPolicy : HttpPipelinePolicy
{
    readonly AsyncLocal<FaultPlan?> _plan = new();
    long _injected;

    /// <summary>Faults injected since start-up, over all plans.</summary>
    public long TotalInjected => Interlocked.Read(ref _injected);

    /// <summary>Arms this async flow (and what it starts) with <paramref name="plan"/> until disposed.</summary>
    public IDisposable Arm(FaultPlan plan)
    {
        var previous = _plan.Value;
        _plan.Value = plan;
        return new Disarm(() => _plan.Value = previous);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (_plan.Value is not { } plan || !plan.NextFails())
        {
            await ProcessNextAsync(message, pipeline);
            return;
        }
        Interlocked.Increment(ref _injected);
        switch (plan.Kind)
        {
            case FaultKind.Reset:
                throw new IOException("Connection reset by peer (injected fault).");
            case FaultKind.Timeout:
                await ProcessNextAsync(message, pipeline); // storage does it...
                message.Response?.Dispose();
                // ...and the answer is lost: what Azure.Core throws when a try exceeds its network timeout.
                throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout (injected fault).",
                    new TimeoutException());
            default:
                message.Response = new InjectedResponse(plan.Kind switch
                {
                    FaultKind.Status409 => 409,
                    FaultKind.Status412 => 412,
                    FaultKind.Status500 => 500,
                    _ => 503,
                }, message.Request.ClientRequestId);
                return;
        }
    }

    sealed class Disarm(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>A bare error response, as storage would send with an empty body.</summary>
    sealed class InjectedResponse(int status, string clientRequestId) : Response
    {
        public override int Status => status;
        public override string ReasonPhrase => "Injected fault";
        public override Stream? ContentStream { get; set; } = new MemoryStream();
        public override string ClientRequestId { get; set; } = clientRequestId;
        public override void Dispose() => ContentStream?.Dispose();
        protected override bool ContainsHeader(string name) => false;
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => [];
        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
        {
            value = null;
            return false;
        }
        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = null;
            return false;
        }
    }
}
