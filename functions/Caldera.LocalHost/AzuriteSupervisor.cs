using Caldera.Storage.Emulator;
using Microsoft.Extensions.Hosting;

namespace Caldera.LocalHost;

/// <summary>
/// Starts the local host's Azurite again when it dies (a crash, an out-of-memory kill, someone ending node): same
/// ports, same data folder, so the storage clients reconnect by themselves. Requests meanwhile get 503 + Retry-After.
/// </summary>
public sealed class AzuriteSupervisor(AzuriteProcess azurite, ILogger<AzuriteSupervisor> logger) : BackgroundService
{
    static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await azurite.WaitForExitAsync(stoppingToken);
                logger.LogWarning("Azurite (pid {Pid}) exited; starting it again on the same ports and data", azurite.ProcessId);
                for (var delay = FirstDelay; ; delay = delay * 2 > MaxDelay ? MaxDelay : delay * 2)
                {
                    await Task.Delay(delay, stoppingToken);
                    try
                    {
                        await azurite.RestartAsync(stoppingToken);
                        logger.LogWarning("Azurite is back (pid {Pid}, {Ports})", azurite.ProcessId, azurite.Ports);
                        break;
                    }
                    catch (Exception e) when (e is AzuriteStartException or InvalidOperationException)
                    {
                        logger.LogError("Azurite did not start again; next try in {Delay}: {Error}", delay, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping; RunningServer stops Azurite after the host
        }
    }
}
