using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Hosting;

namespace Caldera.LocalHost.Timers;

/// <summary>
/// Runs one timer function at each occurrence of its schedule (UTC), as the Functions host does on one instance: a DI
/// scope and a new instance of the class per run, never two runs at once (a run that overlaps the next occurrence
/// makes that one past due). A failed run is logged and the schedule goes on.
/// </summary>
public sealed class TimerFunctionRunner(TimerFunction function, IServiceProvider services, TimeProvider time, ILogger<TimerFunctionRunner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTime? last = null;
        var due = time.GetUtcNow().UtcDateTime;
        if (!function.RunOnStartup)
            due = function.Crontab.GetNextOccurrence(due);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = due - time.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            var now = time.GetUtcNow().UtcDateTime;
            var next = function.Crontab.GetNextOccurrence(now);
            var info = new TimerInfo
            {
                IsPastDue = now - due > TimeSpan.FromSeconds(1),
                ScheduleStatus = new ScheduleStatus { Last = last ?? default, Next = next, LastUpdated = now },
            };
            try
            {
                await InvokeAsync(info, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Timer function {Function} failed; it runs again at {Next:o}", function.Name, next);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: the run was cut short
            }
            last = now;
            due = next;
        }
    }

    async Task InvokeAsync(TimerInfo info, CancellationToken ct)
    {
        await FunctionInvocation.InvokeAsync(services, function.Method, function.DeclaringType,
            () => function.Arguments.Select(a => a == TimerArgument.Info ? info : (object)ct).ToArray());
    }
}
