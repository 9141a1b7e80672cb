using System.Text;
using System.Text.Json;
using Caldera.Dav;
using Caldera.Imip.Itip;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Caldera.Functions.Imip;

/// <summary>
/// What an inbound mail service posts to /imip, read within a size limit: the raw email and its envelope
/// recipients. Two shapes: the raw message itself (message/rfc822), or a form (multipart/form-data) as mail
/// services' inbound webhooks send it, with the raw message in <c>email</c> (SendGrid Inbound Parse, "raw") or
/// <c>body-mime</c> (Mailgun routes) and the recipients in <c>envelope</c> (SendGrid's JSON) or <c>recipient</c>.
/// A recipient in the X-Caldera-Recipient header or ?recipient= wins over the form's.
/// </summary>
public sealed record InboundMailRequest(byte[] Mail, IReadOnlyList<string> Recipients)
{
    public const string RecipientHeader = "X-Caldera-Recipient";
    public const int MaxRecipients = 50;
    /// <summary>Room for a form's other fields (headers, text, html copies) next to the raw message.</summary>
    const int FormOverhead = 4 * 1024 * 1024;
    static readonly string[] RawTypes = ["message/rfc822", "application/octet-stream"];
    static readonly string[] MailFields = ["email", "body-mime"];

    /// <summary>The request, or the status and message that refuse it.</summary>
    public static async Task<(InboundMailRequest? Request, int Status, string? Error)> ReadAsync(HttpRequest req, long maxMailBytes, CancellationToken ct)
    {
        var given = req.Headers[RecipientHeader].FirstOrDefault() ?? req.Query["recipient"].FirstOrDefault();
        var mediaType = req.ContentType?.Split(';')[0].Trim() ?? "";
        var isForm = mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
        if (!isForm && !RawTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
            return (null, StatusCodes.Status415UnsupportedMediaType, "Send the raw email as Content-Type: message/rfc822, or a multipart/form-data webhook with an 'email' or 'body-mime' field.");

        byte[] body;
        try
        {
            body = await RequestBody.ReadAsync(req, isForm ? maxMailBytes + FormOverhead : maxMailBytes, ct);
        }
        catch (DavException e) when (e.Status == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"The message is larger than {maxMailBytes} bytes.");
        }

        byte[]? mail = body;
        var recipients = new List<string>();
        if (isForm)
        {
            var form = await ReadFormAsync(req.ContentType!, body, ct);
            if (form is null)
                return (null, StatusCodes.Status400BadRequest, "The form cannot be read.");
            mail = MailFields.Select(f => form.GetValueOrDefault(f)).FirstOrDefault(v => v is not null);
            if (mail is null)
                return (null, StatusCodes.Status400BadRequest, "The form has no 'email' (SendGrid, raw) or 'body-mime' (Mailgun) field with the raw message.");
            if (mail.Length > maxMailBytes)
                return (null, StatusCodes.Status413PayloadTooLarge, $"The message is larger than {maxMailBytes} bytes.");
            if (given is null)
                recipients.AddRange(FormRecipients(form));
        }
        if (given is not null)
            recipients.Add(given);
        if (recipients.Count == 0)
            return (null, StatusCodes.Status400BadRequest, $"Name the envelope recipient in the {RecipientHeader} header or the 'recipient' query parameter.");
        if (recipients.Count > MaxRecipients)
            return (null, StatusCodes.Status400BadRequest, $"At most {MaxRecipients} recipients per message.");
        var normalized = recipients.Select(CalendarAddress.Normalize).ToList();
        if (normalized.Any(r => r is null))
            return (null, StatusCodes.Status400BadRequest, "A recipient is not an email address.");
        if (mail.Length == 0)
            return (null, StatusCodes.Status400BadRequest, "The body is empty; send the raw email.");
        return (new InboundMailRequest(mail, normalized.Distinct().ToList()!), StatusCodes.Status202Accepted, null);
    }

    static async Task<Dictionary<string, byte[]>?> ReadFormAsync(string contentType, byte[] body, CancellationToken ct)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
            return null;
        var fields = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var reader = new MultipartReader(boundary, new MemoryStream(body)) { BodyLengthLimit = body.Length };
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } name)
                    continue;
                using var value = new MemoryStream();
                await section.Body.CopyToAsync(value, ct);
                fields[HeaderUtilities.RemoveQuotes(name).Value ?? name] = value.ToArray();
            }
        }
        catch (IOException)
        {
            return null;
        }
        return fields;
    }

    /// <summary>SendGrid: envelope = {"to": [...], "from": "..."}; Mailgun: recipient = "a@x, b@y".</summary>
    static IEnumerable<string> FormRecipients(Dictionary<string, byte[]> form)
    {
        if (form.TryGetValue("envelope", out var envelope))
        {
            List<string> to = [];
            try
            {
                using var doc = JsonDocument.Parse(envelope);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("to", out var list) && list.ValueKind == JsonValueKind.Array)
                    to.AddRange(list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
            }
            catch (JsonException)
            {
                // not SendGrid's envelope: fall through to 'recipient'
            }
            if (to.Count > 0)
                return to;
        }
        if (form.TryGetValue("recipient", out var recipient))
            return Encoding.UTF8.GetString(recipient).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [];
    }
}
