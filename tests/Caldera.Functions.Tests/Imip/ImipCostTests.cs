using Caldera.Imip.Processing;
using Caldera.Storage;
using Caldera.Storage.Imip;
using Microsoft.Extensions.DependencyInjection;
using static Caldera.Functions.Tests.Imip.MailBuilder;

namespace Caldera.Functions.Tests.Imip;

/// <summary>
/// Storage calls per processed message (the serverless cost of iMIP): bounded, and independent of how many
/// events the recipient's calendar holds. The processor is called directly, inside a counting scope.
/// </summary>
[Collection(ImipServerCollection.Name)]
public sealed class ImipCostTests(ImipServerFixture server)
{
    async Task<(ImipStatusRecord Row, StorageCallCounter.Scope Calls)> ProcessAsync(byte[] raw, string recipient)
    {
        var inbox = server.Services.GetRequiredService<ImipInbox>();
        var received = DateTimeOffset.UtcNow;
        var (blob, id) = await inbox.StoreAsync(new BinaryData(raw), received, null, CancellationToken.None);
        var message = new ImipQueueMessage { Id = id, Blob = blob, Recipient = recipient, Received = received }.ToJson();
        var processor = server.Services.GetRequiredService<ImipProcessor>();
        var counter = server.Services.GetRequiredService<StorageCallCounter>();
        // The registry is cached for 10 s; dropping the cache makes its read part of every count, so counts do not flap.
        server.Services.GetRequiredService<Caldera.Calendars.Registry.ProviderRegistry>().Invalidate();
        using var scope = counter.BeginScope();
        var row = await processor.ProcessAsync(message, id, 1, received, CancellationToken.None);
        return (row, scope);
    }

    [Fact]
    public async Task A_message_costs_a_bounded_number_of_storage_calls()
    {
        var uid = Dav.DavHelpers.Unique("cost");
        var (created, createCalls) = await ProcessAsync(Build("organizer@example.com", "bob@example.org", "REQUEST",
            Itip("REQUEST", Invite(uid, attendees: ["PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"]))), "bob@example.org");
        Assert.True(created.Status == ImipStatus.Applied, created.ToString());
        var (updated, updateCalls) = await ProcessAsync(Build("organizer@example.com", "bob@example.org", "REQUEST",
            Itip("REQUEST", Invite(uid, sequence: 1, attendees: ["PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"]))), "bob@example.org");
        Assert.True(updated.Status == ImipStatus.Applied, updated.ToString());
        var (refused, refusedCalls) = await ProcessAsync(Build("mallory@example.net", "bob@example.org", "REQUEST",
            Itip("REQUEST", Invite(uid, sequence: 2, attendees: ["PARTSTAT=NEEDS-ACTION:mailto:bob@example.org"]))), "bob@example.org");
        Assert.Equal(ImipStatus.Quarantined, refused.Status);

        // Counted here with the registry read included: new 12 table + 2 blob, update 12 + 4, refused 4 + 1 (a user
        // with one calendar; feeds and shares are never listed). One call of room each; none of it grows with the
        // calendar's size.
        Assert.True(createCalls.Calls <= 15, $"new invitation: {createCalls.TableCalls} table + {createCalls.BlobCalls} blob calls");
        Assert.True(updateCalls.Calls <= 17, $"update: {updateCalls.TableCalls} table + {updateCalls.BlobCalls} blob calls");
        Assert.True(refusedCalls.Calls <= 6, $"refused: {refusedCalls.TableCalls} table + {refusedCalls.BlobCalls} blob calls");
        Assert.Equal(0, createCalls.QueueCalls);
    }
}
