using System.Text;
using Caldera.Calendars.Providers;
using Caldera.Calendars.Query;
using Caldera.Calendars.Registry;
using Microsoft.Net.Http.Headers;

namespace Caldera.Web.Api;

/// <summary>calendars/{id}/export: a readable calendar of the home as one .ics file, streamed object by object.</summary>
public sealed class ExportEndpoint(CalendarHome home) : IApiEndpoints
{
    public IEnumerable<ApiRoute> Routes => [new("GET", "calendars/{}/export", ExportAsync)];

    async Task ExportAsync(ApiContext ctx)
    {
        var entry = await CalendarEndpoints.FindAsync(home, ctx, ctx.Segments[1]);
        if (!entry.Calendar.Privileges.HasFlag(CalendarPrivileges.Read))
            throw ApiError.Forbidden("You may not read this calendar.");
        var objects = await entry.Calendar.GetObjectsAsync(ctx.Cancellation);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/calendar; charset=utf-8";
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = $"\"{FileName(entry.Segment)}.ics\"" };
        if (FileName(entry.Segment) != entry.Segment)
            disposition.FileNameStar = entry.Segment + ".ics"; // RFC 6266: the real name, UTF-8, for browsers that read it
        ctx.Response.Headers.ContentDisposition = disposition.ToString();
        await using var writer = new StreamWriter(ctx.Response.Body, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        var export = new CalendarExport(writer);
        await export.BeginAsync();
        foreach (var item in objects)
        {
            if (await item.GetDataAsync(ctx.Cancellation) is not { } body)
                continue; // deleted since the listing
            await export.AddAsync(Encoding.UTF8.GetString(body));
        }
        await export.EndAsync();
        await writer.FlushAsync(ctx.Cancellation);
    }

    /// <summary>The id with anything but letters, digits, '.', '_' and '-' replaced, safe inside the quoted header value.</summary>
    static string FileName(string id) =>
        new(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_').ToArray());
}
