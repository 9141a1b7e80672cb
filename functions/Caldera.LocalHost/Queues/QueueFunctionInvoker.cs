using Azure.Storage.Queues.Models;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// Calls a queue function once, as the isolated worker does: a DI scope per invocation, a new instance of the class
/// from it (constructor injection, like <see cref="FunctionEndpointMapper"/>), the trigger argument bound from the
/// decoded message. The function's exception is the caller's failure signal, so it is not caught here.
/// </summary>
public static class QueueFunctionInvoker
{
    public static async Task InvokeAsync(IServiceProvider services, QueueFunction function, QueueMessage message, CancellationToken ct)
    {
        await FunctionInvocation.InvokeAsync(services, function.Method, function.DeclaringType,
            () => function.Arguments.Select(a => Argument(a, message, ct)).ToArray());
    }

    static object Argument(QueueArgument argument, QueueMessage message, CancellationToken ct) => argument switch
    {
        QueueArgument.Message => message,
        QueueArgument.Text => message.MessageText,
        QueueArgument.Binary => message.Body,
        QueueArgument.Bytes => message.Body.ToArray(),
        QueueArgument.Cancellation => ct,
        _ => throw new ArgumentOutOfRangeException(nameof(argument), argument, null),
    };
}
