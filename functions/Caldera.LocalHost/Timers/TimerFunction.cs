using System.Reflection;
using NCrontab;

namespace Caldera.LocalHost.Timers;

/// <summary>What a parameter of a timer function receives.</summary>
public enum TimerArgument
{
    /// <summary>The <c>TimerInfo</c> of the occurrence.</summary>
    Info,
    /// <summary>The invocation's <c>CancellationToken</c> (cancelled when the host stops).</summary>
    Cancellation,
}

/// <summary>One timer-triggered function as read from its <c>[Function]</c> and <c>[TimerTrigger]</c> attributes.</summary>
/// <param name="Schedule">The resolved NCRONTAB expression (UTC, as the host reads it without WEBSITE_TIME_ZONE).</param>
public sealed record TimerFunction(
    string Name,
    string Schedule,
    CrontabSchedule Crontab,
    bool RunOnStartup,
    Type DeclaringType,
    MethodInfo Method,
    IReadOnlyList<TimerArgument> Arguments)
{
    public override string ToString() => $"{Name}: schedule '{Schedule}' ({DeclaringType.Name}.{Method.Name})";
}
