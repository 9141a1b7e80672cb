using Caldera.Storage.Sweeping;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.Functions.Maintenance;

/// <summary>
/// Runs the orphan sweeper on the schedule the app setting names (hourly in infra; the local host runs it too). A run
/// is bounded (see <see cref="SweepOptions.MaxBlobsPerRun"/>), so one run never outlives the function timeout; a
/// failed run (storage down) is simply tried again at the next occurrence.
/// </summary>
public sealed class OrphanSweepFunction(OrphanSweeper sweeper)
{
    public const string ScheduleSetting = "CalderaSweepSchedule";
    public const string ScheduleExpression = "%" + ScheduleSetting + "%";
    /// <summary>Hourly, at minute 17 (not on the hour, when other jobs tend to run).</summary>
    public const string DefaultSchedule = "0 17 * * * *";

    [Function("SweepOrphans")]
    public async Task Run([TimerTrigger(ScheduleExpression)] TimerInfo timer, CancellationToken ct) =>
        await sweeper.RunAsync(ct);
}
