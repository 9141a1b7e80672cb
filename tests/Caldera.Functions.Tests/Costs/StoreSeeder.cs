using System.Text;
using Caldera.Calendars;
using Caldera.Storage;

namespace Caldera.Functions.Tests.Costs;

/// <summary>Seeds a calendar through the parser PUT uses, straight into the store (the same rows, without HTTP).</summary>
static class StoreSeeder
{
    public static ObjectWrite WriteOf(string body, IReadOnlyCollection<string> components)
    {
        var parsed = CalendarObjectParser.Parse(Encoding.UTF8.GetBytes(body), components);
        return new ObjectWrite
        {
            Uid = parsed.Uid, Component = parsed.Component, Body = parsed.Body, RangeStart = parsed.RangeStart,
            RangeEnd = parsed.RangeEnd, Recurring = parsed.Recurring, EnvelopeExact = parsed.EnvelopeExact,
        };
    }

    /// <summary>Creates every object (four writers at once) and checks each was created.</summary>
    public static async Task SeedAsync(ICalendarStore store, string user, string calendar, IEnumerable<(string Name, string Body)> objects)
    {
        var record = await store.GetCalendarAsync(user, calendar, default) ?? throw new InvalidOperationException("no calendar");
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(objects.Select(async o =>
        {
            await gate.WaitAsync();
            try
            {
                var result = await store.PutObjectAsync(user, calendar, o.Name, WriteOf(o.Body, record.Components), WriteConditions.None, default);
                Assert.Equal(WriteStatus.Created, result.Status);
            }
            finally { gate.Release(); }
        }));
    }
}
