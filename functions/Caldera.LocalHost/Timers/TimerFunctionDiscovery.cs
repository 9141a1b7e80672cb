using System.Reflection;
using Caldera.LocalHost.Queues;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Caldera.LocalHost.Timers;

/// <summary>
/// Finds the timer-triggered functions from their own attributes, as <see cref="QueueFunctionDiscovery"/> finds the
/// queue ones: a <c>[Function]</c> method with a <c>[TimerTrigger]</c> parameter. The schedule's <c>%settings%</c> are
/// resolved and it is parsed as NCRONTAB (six fields with seconds, or five); what cannot be served fails the start.
/// </summary>
public static class TimerFunctionDiscovery
{
    public static IReadOnlyList<TimerFunction> Discover(Assembly assembly, IConfiguration configuration) =>
        Discover(assembly.GetTypes(), configuration);

    public static IReadOnlyList<TimerFunction> Discover(IEnumerable<Type> types, IConfiguration configuration)
    {
        var found = new List<TimerFunction>();
        foreach (var type in types)
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                continue;
            var triggers = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).OfType<TimerTriggerAttribute>().ToList();
            if (triggers.Count == 0)
                continue;
            if (triggers.Count > 1)
                throw new NotSupportedException($"Function {function.Name}: more than one [TimerTrigger] parameter.");
            var r = method.ReturnType;
            if (r != typeof(void) && r != typeof(Task) && r != typeof(ValueTask))
                throw new NotSupportedException($"Function {function.Name}: return type {r.Name} is not void, Task or ValueTask.");
            var schedule = AppSettingResolver.Resolve(triggers[0].Schedule, configuration, function.Name);
            found.Add(new TimerFunction(function.Name, schedule, Parse(function.Name, schedule), triggers[0].RunOnStartup,
                type, method, [.. method.GetParameters().Select(p => Bind(function.Name, p))]));
        }
        return [.. found.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];
    }

    static CrontabSchedule Parse(string function, string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var parsed = fields is 5 or 6
            ? CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 })
            : null;
        return parsed ?? throw new InvalidOperationException(
            $"Function {function}: the schedule '{schedule}' is not an NCRONTAB expression such as '0 17 * * * *' " +
            "(second minute hour day month day-of-week; the TimeSpan form is not served by the local host).");
    }

    static TimerArgument Bind(string function, ParameterInfo p)
    {
        if (p.ParameterType == typeof(TimerInfo))
            return TimerArgument.Info;
        if (p.ParameterType == typeof(CancellationToken))
            return TimerArgument.Cancellation;
        throw new NotSupportedException($"Function {function}: parameter '{p.Name}' of type {p.ParameterType.Name} cannot be bound by the local host; " +
            "a timer function may take a TimerInfo and a CancellationToken.");
    }
}
