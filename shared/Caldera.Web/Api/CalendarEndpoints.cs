using Caldera.Calendars.Manager;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Providers.Store;
using Caldera.Calendars.Registry;
using Caldera.Calendars.Scheduling;
using Caldera.Storage;
using Caldera.Storage.Quota;

namespace Caldera.Web.Api;

/// <summary>
/// calendars: the user's home as CalDAV shows it (own, shared, subscribed, other providers'), and the user's own
/// calendars made, changed and deleted through the same provider, rules and quotas as MKCALENDAR, PROPPATCH and DELETE.
/// </summary>
public sealed class CalendarEndpoints(CalendarHome home, StoreCalendarProvider store, TimeProvider time) : IApiEndpoints
{
    const int MaxNameAttempts = 50;

    public IEnumerable<ApiRoute> Routes =>
    [
        new("GET", "calendars", ListAsync),
        new("POST", "calendars", CreateAsync),
        new("PATCH", "calendars/{}", UpdateAsync),
        new("DELETE", "calendars/{}", DeleteAsync),
    ];

    sealed record CalendarBody(string? DisplayName, string? Color, string? Description);

    async Task ListAsync(ApiContext ctx)
    {
        var entries = await home.ListAsync(Context(ctx), ctx.Cancellation);
        await ApiJson.OkAsync(ctx, entries.Where(CalendarView.IsShown).Select(e => CalendarView.From(ctx, e)).ToList());
    }

    async Task CreateAsync(ApiContext ctx)
    {
        var body = await ApiJson.ReadAsync<CalendarBody>(ctx);
        var displayName = body.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName))
            throw ApiError.BadRequest("Give the calendar a name.");
        var changes = Validated(body, displayName);
        var slug = Slug.From(displayName, "calendar");
        for (var attempt = 1; attempt <= MaxNameAttempts; attempt++)
        {
            var id = Slug.Numbered(slug, attempt);
            if (!CalendarRules.IsAllowedName(id) || ScheduleCollections.IsReserved(id))
                continue;
            bool created;
            try
            {
                created = await store.CreateCalendarAsync(ctx.User, id, changes, CalendarRules.DefaultComponents, time.GetUtcNow(), ctx.Cancellation);
            }
            catch (QuotaExceededException e)
            {
                throw ApiError.Conflict($"No more calendars fit in your quota: {e.Message}");
            }
            if (!created)
                continue;
            var entry = await home.FindAsync(Context(ctx), id, ctx.Cancellation) ?? throw ApiError.NotFound("The new calendar vanished.");
            await ApiJson.CreatedAsync(ctx, CalendarView.From(ctx, entry));
            return;
        }
        throw ApiError.Conflict("Calendars with that name exist already; choose another name.");
    }

    async Task UpdateAsync(ApiContext ctx)
    {
        var entry = await OwnAsync(ctx, CalendarPrivileges.WriteProperties);
        var body = await ApiJson.ReadAsync<CalendarBody>(ctx);
        var displayName = body.DisplayName?.Trim();
        if (displayName is { Length: 0 })
            throw ApiError.BadRequest("A calendar's name cannot be empty.");
        var changes = Validated(body, displayName);
        if (!await ((IManageableCalendar)entry.Calendar).UpdatePropertiesAsync(changes, ctx.Cancellation))
            throw ApiError.NotFound("No such calendar.");
        var updated = await home.FindAsync(Context(ctx), entry.Segment, ctx.Cancellation) ?? throw ApiError.NotFound("No such calendar.");
        await ApiJson.OkAsync(ctx, CalendarView.From(ctx, updated));
    }

    async Task DeleteAsync(ApiContext ctx)
    {
        var entry = await OwnAsync(ctx, CalendarPrivileges.Unbind);
        if (!await ((IManageableCalendar)entry.Calendar).DeleteAsync(ctx.Cancellation))
            throw ApiError.NotFound("No such calendar.");
        ApiJson.NoContent(ctx);
    }

    /// <summary>The calendar named in the path, which must be the user's own (404 when the home has no such calendar).</summary>
    async Task<HomeCalendar> OwnAsync(ApiContext ctx, CalendarPrivileges needed)
    {
        var entry = await FindAsync(home, ctx, ctx.Segments[1]);
        if (!CalendarView.IsOwn(entry) || entry.Calendar is not IManageableCalendar || !entry.Calendar.Privileges.HasFlag(needed))
            throw ApiError.Forbidden(CalendarView.KindOf(entry) == "subscription"
                ? "Subscriptions are removed under Subscriptions."
                : "Only your own calendars can be changed or deleted.");
        return entry;
    }

    /// <summary>A calendar of the signed-in user's home, looked up there only.</summary>
    public static async Task<HomeCalendar> FindAsync(CalendarHome home, ApiContext ctx, string id)
    {
        if (!Names.IsValidSegment(id, 300))
            throw ApiError.NotFound("No such calendar.");
        var entry = await home.FindAsync(Context(ctx), id, ctx.Cancellation);
        return entry is not null && CalendarView.IsShown(entry) ? entry : throw ApiError.NotFound("No such calendar.");
    }

    public static CalendarContext Context(ApiContext ctx) => new(ctx.User, ctx.User);

    /// <summary>The property changes, checked by the rules PROPPATCH applies; an empty colour or description removes it.</summary>
    static CalendarPropertyChanges Validated(CalendarBody body, string? displayName)
    {
        if (displayName is not null && !CalendarRules.IsValidText(displayName))
            throw ApiError.BadRequest("The name is too long or holds control characters.");
        if (body.Description is { Length: > 0 } description && !CalendarRules.IsValidText(description))
            throw ApiError.BadRequest("The description is too long or holds control characters.");
        var color = body.Color?.Trim();
        if (color is { Length: > 0 } && (color.Length != 7 || !CalendarRules.IsValidColor(color)))
            throw ApiError.BadRequest("The colour must be #rrggbb.");
        var removed = new List<string>();
        if (color is { Length: 0 })
            removed.Add("Color");
        if (body.Description is { Length: 0 })
            removed.Add("Description");
        return new CalendarPropertyChanges
        {
            DisplayName = displayName,
            Color = color is { Length: > 0 } ? color : null,
            Description = body.Description is { Length: > 0 } ? body.Description : null,
            Removed = removed,
        };
    }
}
