using Caldera.Storage;
using Caldera.Storage.Imip;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Imip.MailBuilder;

namespace Caldera.Functions.Tests.Imip;

/// <summary>
/// Faults: a failure the next delivery does not repeat is retried through the queue and applied; a message whose
/// processing keeps failing ends in the poison queue after host.json's dequeue count, its blob kept.
/// </summary>
[Collection(ImipServerCollection.Name)]
public sealed class ImipPoisonTests(ImipServerFixture server)
{
    [Fact]
    public async Task A_transient_failure_is_retried_through_the_queue()
    {
        var uid = Dav.DavHelpers.Unique("flaky");
        var id = await server.PostAsync(Build("organizer@example.com", "flaky@example.com", "REQUEST",
            Itip("REQUEST", Invite(uid, attendees: ["PARTSTAT=NEEDS-ACTION:mailto:flaky@example.com"]))), "flaky@example.com");
        var row = await server.WaitAsync("flaky", id);
        Assert.True(row.Status == ImipStatus.Applied, row.ToString());
        Assert.Equal(2, row.Attempts);
        Assert.Contains($"{uid}.ics", FlakyImipProvider.Taken);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_ends_in_the_poison_queue_with_its_blob()
    {
        var max = server.Queues.MaxDequeueCount;
        Assert.True(max > 1, "host.json should allow retries");
        var id = await server.PostAsync(Build("organizer@example.com", "poisoned@example.com", "REQUEST",
            Itip("REQUEST", Invite(Dav.DavHelpers.Unique("bomb"), attendees: ["PARTSTAT=NEEDS-ACTION:mailto:poisoned@example.com"]))), "poisoned@example.com");

        var row = await server.WaitAsync("poisoned", id, r => r.Status == ImipStatus.Failed && r.Attempts >= max);
        Assert.Equal(max, row.Attempts);
        Assert.Contains("unreachable", row.Reason);

        var layout = server.Services.GetRequiredService<StorageLayout>();
        var queues = server.Services.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>();
        var poison = queues.GetQueueClient(layout.ImipPoisonQueue);
        Azure.Storage.Queues.Models.PeekedMessage? found = null;
        for (var i = 0; i < 100 && found is null; i++)
        {
            var peeked = await poison.PeekMessagesAsync(32);
            found = peeked.Value.FirstOrDefault(m => m.Body.ToString().Contains(id));
            if (found is null)
                await Task.Delay(100);
        }
        Assert.NotNull(found);
        var message = ImipQueueMessage.TryParse(found!.Body.ToString())!;
        Assert.Equal(id, message.Id);
        Assert.True(await server.Services.GetRequiredService<ImipInbox>().ExistsAsync(message.Blob!, CancellationToken.None));
        // it left the work queue
        var work = await queues.GetQueueClient(layout.ImipQueue).PeekMessagesAsync(32);
        Assert.DoesNotContain(work.Value, m => m.Body.ToString().Contains(id));
        Assert.True(ExplodingImipProvider.Attempts >= max);
    }
}
