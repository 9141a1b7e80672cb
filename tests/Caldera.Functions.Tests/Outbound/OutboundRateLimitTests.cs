using Azure.Data.Tables;
using Caldera.Imip.Outbound;
using Caldera.Storage;
using Caldera.Storage.Imip.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static Caldera.Functions.Tests.Outbound.OutboundSamples;

namespace Caldera.Functions.Tests.Outbound;

/// <summary>
/// The per-user hourly limit on outbound iMIP email (Caldera:Smtp:MaxEmailsPerUserPerHour), on Azurite: counted in a
/// table row per user before anything is stored, shared by every instance. Each test uses users of its own (the count
/// is durable), and no relay, so whatever is queued ends up held.
/// </summary>
[Collection(OutboundServerCollection.Name)]
public sealed class OutboundRateLimitTests(OutboundServerFixture server)
{
    [Fact]
    public async Task With_a_limit_of_3_the_4th_email_of_a_user_in_the_hour_is_refused_and_nothing_is_stored_for_it()
    {
        server.UseSmtp(null);
        var configuration = server.Services.GetRequiredService<IConfiguration>();
        configuration["Caldera:Smtp:MaxEmailsPerUserPerHour"] = "3";
        try
        {
            var (mallory, bob) = (NewUser("mallory"), NewUser("bob"));
            for (var i = 0; i < 3; i++)
                await server.Outbound.EnqueueAsync(For(mallory, $"r{i}@example.net"), CancellationToken.None);

            var refused = await Assert.ThrowsAsync<OutboundImipRateLimitedException>(
                () => server.Outbound.EnqueueAsync(For(mallory, "r3@example.net"), CancellationToken.None));
            Assert.Equal("rate-limited", refused.Code);
            Assert.Equal((mallory, 3), (refused.User, refused.Limit));
            Assert.Contains("Caldera__Smtp__MaxEmailsPerUserPerHour", refused.Message);
            Assert.IsAssignableFrom<OutboundImipRefusedException>(refused);

            // Nothing of the 4th: three status rows and three blobs, none to r3; the count stays at the limit.
            var rows = await Rows(mallory);
            Assert.Equal(3, rows.Count);
            Assert.DoesNotContain(rows, r => r.To == "r3@example.net");
            Assert.Equal(3, await BlobCount(mallory));
            Assert.Equal(3, await Counter().CountAsync(mallory, DateTimeOffset.UtcNow, CancellationToken.None));

            // Another user is not affected.
            for (var i = 0; i < 3; i++)
                await server.Outbound.EnqueueAsync(For(bob, $"r{i}@example.net"), CancellationToken.None);
            Assert.Equal(3, (await Rows(bob)).Count);

            // A request refused for what it is (not for the limit) costs nothing of the budget.
            var carol = NewUser("carol");
            await Assert.ThrowsAsync<OutboundImipRefusedException>(
                () => server.Outbound.EnqueueAsync(For(carol, "r0@example.net") with { Uid = "other@example.com" }, CancellationToken.None));
            Assert.Equal(0, await Counter().CountAsync(carol, DateTimeOffset.UtcNow, CancellationToken.None));
        }
        finally
        {
            configuration["Caldera:Smtp:MaxEmailsPerUserPerHour"] = null;
        }
    }

    [Fact]
    public async Task A_limit_of_0_means_no_limit()
    {
        server.UseSmtp(null);
        var user = NewUser("unlimited");
        var queue = Queue(limit: 0, Fixed());
        for (var i = 0; i < 8; i++)
            await queue.EnqueueAsync(For(user, $"r{i}@example.net"), CancellationToken.None);
        Assert.Equal(8, (await Rows(user)).Count);
        // Nothing is counted either: no storage spent on the limit.
        Assert.Equal(0, await Counter().CountAsync(user, Fixed().GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task The_count_starts_again_in_the_next_hour()
    {
        server.UseSmtp(null);
        var user = NewUser("hourly");
        var clock = new SettableTime(new DateTimeOffset(2026, 11, 30, 14, 59, 0, TimeSpan.Zero));
        var queue = Queue(limit: 2, clock);
        await queue.EnqueueAsync(For(user, "a@example.net"), CancellationToken.None);
        await queue.EnqueueAsync(For(user, "b@example.net"), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<OutboundImipRateLimitedException>(() => queue.EnqueueAsync(For(user, "c@example.net"), CancellationToken.None));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero), refused.Until);

        clock.Now = clock.Now.AddMinutes(1);
        await queue.EnqueueAsync(For(user, "c@example.net"), CancellationToken.None);
        Assert.Equal(3, (await Rows(user)).Count);
    }

    [Fact]
    public async Task Ten_concurrent_emails_through_two_instances_with_a_limit_of_5_store_exactly_5()
    {
        server.UseSmtp(null);
        var user = NewUser("burst");
        var clock = Fixed();
        // Two instances as two hosts would have them: their own counter and table clients over the same storage.
        OutboundImipQueue[] instances = [Queue(limit: 5, clock), Queue(limit: 5, clock)];
        var tasks = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            try
            {
                await instances[i % 2].EnqueueAsync(For(user, $"r{i}@example.net"), CancellationToken.None);
                return true;
            }
            catch (OutboundImipRateLimitedException)
            {
                return false;
            }
        })).ToArray();
        var results = await Task.WhenAll(tasks);

        Assert.Equal(5, results.Count(ok => ok));
        Assert.Equal(5, (await Rows(user)).Count);
        Assert.Equal(5, await BlobCount(user));
        Assert.Equal(5, await Counter().CountAsync(user, clock.GetUtcNow(), CancellationToken.None));
    }

    static string NewUser(string tag) => $"{tag}-{Guid.NewGuid():N}"[..24];

    static OutboundImipRequest For(string user, string to) => Request(to: to) with { User = user };

    static TimeProvider Fixed() => new SettableTime(new DateTimeOffset(2026, 11, 30, 10, 30, 0, TimeSpan.Zero));

    OutboundImipRateCounter Counter() => new(server.Services.GetRequiredService<TableServiceClient>(), server.Services.GetRequiredService<StorageLayout>());

    OutboundImipQueue Queue(int limit, TimeProvider time)
    {
        var configuration = server.Services.GetRequiredService<IConfiguration>();
        return new OutboundImipQueue(
            server.Services.GetRequiredService<OutboundImipOutbox>(), server.Services.GetRequiredService<OutboundImipStatusStore>(), Counter(),
            () => SmtpSettings.Read(configuration) with { MaxEmailsPerUserPerHour = limit }, time, NullLogger<OutboundImipQueue>.Instance);
    }

    Task<IReadOnlyList<OutboundImipStatusRecord>> Rows(string user) =>
        server.Services.GetRequiredService<OutboundImipStatusStore>().ListAsync(user, OutboundImipStatusStore.MaxList, CancellationToken.None);

    async Task<int> BlobCount(string user)
    {
        var container = server.Services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>()
            .GetBlobContainerClient(server.Services.GetRequiredService<StorageLayout>().ImipOutboundContainer);
        var count = 0;
        await foreach (var _ in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, user + "/", CancellationToken.None))
            count++;
        return count;
    }

    sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
