using System.Reflection;

namespace Caldera.LocalHost.Queues;

/// <summary>What the trigger parameter (or another parameter) of a queue function receives.</summary>
public enum QueueArgument
{
    /// <summary>An <c>Azure.Storage.Queues.Models.QueueMessage</c> whose body is decoded as the worker gives it.</summary>
    Message,
    /// <summary>The decoded message text (<c>string</c>).</summary>
    Text,
    /// <summary>The decoded body (<c>BinaryData</c>).</summary>
    Binary,
    /// <summary>The decoded body (<c>byte[]</c>).</summary>
    Bytes,
    /// <summary>The invocation's <c>CancellationToken</c> (cancelled when the host stops).</summary>
    Cancellation,
}

/// <summary>One queue-triggered function as read from its <c>[Function]</c> and <c>[QueueTrigger]</c> attributes.</summary>
/// <param name="QueueName">The resolved, lower-cased queue name (what the host listens on).</param>
/// <param name="Connection">The connection name of the trigger (empty means the host's default, "Storage").</param>
/// <param name="Arguments">One entry per method parameter, in order.</param>
public sealed record QueueFunction(
    string Name,
    string QueueName,
    string Connection,
    Type DeclaringType,
    MethodInfo Method,
    IReadOnlyList<QueueArgument> Arguments)
{
    public const string PoisonSuffix = "-poison";

    /// <summary>
    /// <c>&lt;queue&gt;-poison</c>, or null as in the host when the queue is itself a poison queue or the name would
    /// be too long (then a message that keeps failing just stays invisible until its lease ends).
    /// </summary>
    public string? PoisonQueueName =>
        QueueName.EndsWith(PoisonSuffix, StringComparison.Ordinal) || QueueName.Length + PoisonSuffix.Length > 63
            ? null
            : QueueName + PoisonSuffix;

    /// <summary>The resolved connection string; internal so that it never shows up in ToString or logs.</summary>
    internal string ConnectionString { get; init; } = "";

    public override string ToString() => $"{Name}: queue '{QueueName}' ({DeclaringType.Name}.{Method.Name})";
}
