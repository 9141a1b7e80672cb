using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Caldera.Functions.Maintenance;
using Caldera.LocalHost;
using Caldera.LocalHost.Timers;
using Caldera.Storage;
using Caldera.Storage.Sweeping;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Functions.Tests.LocalHost;

/// <summary>
/// The local host finds timer-triggered functions from their attributes and runs them on their NCRONTAB schedule, as
/// the Functions host does; the orphan sweeper is the one Caldera has.
/// </summary>
public sealed class TimerFunctionTests
{
    static IConfiguration Settings(string? schedule) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [OrphanSweepFunction.ScheduleSetting] = schedule }).Build();

    [Fact]
    public void The_sweeper_is_found_with_its_schedule_from_the_app_setting()
    {
        var timers = TimerFunctionDiscovery.Discover(typeof(OrphanSweepFunction).Assembly, Settings("0 17 * * * *"));

        var sweep = Assert.Single(timers);
        Assert.Equal(("SweepOrphans", "0 17 * * * *", false), (sweep.Name, sweep.Schedule, sweep.RunOnStartup));
        Assert.Equal(new DateTime(2026, 1, 1, 10, 17, 0), sweep.Crontab.GetNextOccurrence(new DateTime(2026, 1, 1, 9, 17, 0)));
        Assert.Equal([TimerArgument.Info, TimerArgument.Cancellation], sweep.Arguments);
    }

    [Theory]
    [InlineData(null, "CalderaSweepSchedule")]
    [InlineData("every hour", "not an NCRONTAB expression")]
    [InlineData("00:05:00", "not an NCRONTAB expression")]
    [InlineData("0 61 * * * *", "not an NCRONTAB expression")]
    public void A_missing_or_unreadable_schedule_fails_the_start_naming_the_function(string? schedule, string expected)
    {
        var e = Assert.Throws<InvalidOperationException>(() => TimerFunctionDiscovery.Discover(typeof(OrphanSweepFunction).Assembly, Settings(schedule)));
        Assert.Contains("SweepOrphans", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_local_host_runs_the_sweeper_on_its_schedule_and_it_removes_an_old_orphan_only()
    {
        using var watchdog = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var server = await CalderaLocalServer.StartAsync(new LocalServerOptions
        {
            Port = 0,
            InMemory = true,
            User = null,
            // Every second; and no grace, so the orphan made below is old enough at once (nothing writes meanwhile).
            Configuration = new Dictionary<string, string?> { [OrphanSweepFunction.ScheduleSetting] = "* * * * * *" },
            ConfigureServices = services => services.AddSingleton(new SweepOptions { Grace = TimeSpan.Zero }),
        }, watchdog.Token);
        Assert.Contains(server.TimerFunctions, f => f.Name == "SweepOrphans");

        var store = server.Services.GetRequiredService<ICalendarStore>();
        Assert.True(await store.CreateCalendarAsync(new CalendarRecord { Owner = "alice", Name = "work", Id = "", Components = ["VEVENT"] }, watchdog.Token));
        var body = Encoding.UTF8.GetBytes("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:u1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        var put = await store.PutObjectAsync("alice", "work", "live.ics", new ObjectWrite { Uid = "u1", Component = "VEVENT", Body = body },
            WriteConditions.None, watchdog.Token);
        Assert.Equal(WriteStatus.Created, put.Status);
        var calendar = (await store.GetCalendarAsync("alice", "work", watchdog.Token))!;
        var live = (await store.GetObjectAsync(calendar, "live.ics", watchdog.Token))!.BlobName;
        var container = new BlobContainerClient(server.StorageConnectionString,
            server.Services.GetRequiredService<StorageLayout>().ObjectsContainer);
        var orphan = $"alice/{calendar.Id}/{Guid.NewGuid():N}.ics"; // what a write that crashed before its commit leaves
        await container.GetBlobClient(orphan).UploadAsync(BinaryData.FromBytes(body), watchdog.Token);

        while ((await container.GetBlobClient(orphan).ExistsAsync(watchdog.Token)).Value)
            await Task.Delay(200, watchdog.Token);

        var left = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, watchdog.Token))
            left.Add(blob.Name);
        Assert.Equal([live], left);
    }
}
