using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Caldera.Storage.Tests.Infrastructure;

public sealed class TestStorage(ServiceProvider provider, string prefix) : IAsyncDisposable
{
    /// <summary>The storage prefix: a second <see cref="TestStorage"/> with it is another instance on the same data.</summary>
    public string Prefix => prefix;
    public const string Owner = "alice";
    public static CancellationToken Ct => CancellationToken.None;

    public IUserStore Users { get; } = provider.GetRequiredService<IUserStore>();
    public ICalendarStore Calendars { get; } = provider.GetRequiredService<ICalendarStore>();
    public StorageCallCounter Counter { get; } = provider.GetRequiredService<StorageCallCounter>();
    public StorageLayout Layout { get; } = provider.GetRequiredService<StorageLayout>();
    public TableCalendarStore Store { get; } = provider.GetRequiredService<TableCalendarStore>();
    public Snapshots.SnapshotCache Snapshots => Store.Snapshots;

    /// <summary>Waits until no background snapshot load runs (bounded: a load of a test calendar takes milliseconds).</summary>
    public async Task BackgroundLoadsDoneAsync()
    {
        for (var i = 0; i < 500 && Store.PendingLoads > 0; i++)
            await Task.Delay(10);
        Assert.Equal(0, Store.PendingLoads);
    }
    /// <summary>Runs <paramref name="operation"/> and counts the storage calls of its flow; the count is printed.</summary>
    public async Task<(T Result, int Calls)> CountAsync<T>(string label, Func<Task<T>> operation, Xunit.Abstractions.ITestOutputHelper output)
    {
        using var scope = Counter.BeginScope();
        var result = await operation();
        output.WriteLine($"{label}: {scope.Calls} calls ({scope.TableCalls} table, {scope.BlobCalls} blob)");
        return (result, scope.Calls);
    }

    public TableClient UsersTable => provider.GetRequiredService<TableServiceClient>().GetTableClient(Layout.UsersTable);
    public TableClient CalendarsTable => provider.GetRequiredService<TableServiceClient>().GetTableClient(Layout.CalendarsTable);
    public BlobContainerClient Objects => provider.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(Layout.ObjectsContainer);

    /// <summary>An orphan sweeper on this storage with the given options and clock.</summary>
    public Sweeping.OrphanSweeper Sweeper(Sweeping.SweepOptions options, TimeProvider? time = null) => new(
        provider.GetRequiredService<TableServiceClient>(), provider.GetRequiredService<BlobServiceClient>(), Layout, options,
        time ?? TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Sweeping.OrphanSweeper>.Instance);

    public async Task<CalendarRecord> CreateCalendarAsync(string name, string owner = Owner)
    {
        Assert.True(await Calendars.CreateCalendarAsync(new CalendarRecord
        {
            Owner = owner, Name = name, Id = "ignored", Components = ["VEVENT", "VTODO"], DisplayName = name,
        }, Ct));
        return (await Calendars.GetCalendarAsync(owner, name, Ct))!;
    }

    public Task<CalendarRecord?> GetCalendarAsync(string name) => Calendars.GetCalendarAsync(Owner, name, Ct);

    public static ObjectWrite Event(string uid, string summary = "test") => new()
    {
        Uid = uid,
        Component = "VEVENT",
        Body = Encoding.UTF8.GetBytes($"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
        RangeStart = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero),
        RangeEnd = new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero),
    };

    public Task<WriteResult> PutAsync(string calendar, string name, ObjectWrite write, WriteConditions? conditions = null) =>
        Calendars.PutObjectAsync(Owner, calendar, name, write, conditions ?? WriteConditions.None, Ct);

    public static WriteConditions IfMatch(params string[] etags) => new() { IfMatch = etags };
    public static WriteConditions IfNoneMatch(params string[] etags) => new() { IfNoneMatch = etags };

    /// <summary>Row keys of the calendars table that mention the given calendar incarnation id.</summary>
    public async Task<List<string>> RowKeysOfAsync(string calendarId)
    {
        var keys = new List<string>();
        await foreach (var row in CalendarsTable.QueryAsync<TableEntity>(select: ["RowKey"]))
            if (row.RowKey.Contains(calendarId, StringComparison.Ordinal))
                keys.Add(row.RowKey);
        return keys;
    }

    public async Task<List<string>> BlobNamesAsync(string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in Objects.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, Ct))
            names.Add(blob.Name);
        return names;
    }

    public async Task<string> BodyTextAsync(ObjectRecord record) =>
        Encoding.UTF8.GetString((await Calendars.ReadBodyAsync(record, Ct))!);

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}

/// <summary>Base of the Azurite-backed test classes: a fresh prefix per test.</summary>
[Collection(AzuriteCollection.Name)]
public abstract class StorageTest(AzuriteFixture fixture) : IAsyncLifetime
{
    protected TestStorage S { get; private set; } = null!;
    protected AzuriteFixture Fixture => fixture;
    protected static CancellationToken Ct => CancellationToken.None;
    protected const string Owner = TestStorage.Owner;

    public async Task InitializeAsync() => S = await fixture.CreateStorageAsync();
    public async Task DisposeAsync() => await S.DisposeAsync();
}
