using MimeKit;

namespace Caldera.Imip.Mime;

/// <summary>
/// Walks a parsed message without recursion, enforcing the nesting and part-count limits, and returns the
/// parts that may hold the calendar (text/calendar and application/ics) in document order.
/// </summary>
/// <remarks>
/// Depth is the number of multiparts and embedded messages around an entity: a single-part message has its body
/// at depth 0, the parts of a top-level multipart are at depth 1. Calendar parts inside an embedded message
/// (message/rfc822, e.g. a forwarded invitation) are not collected: they were sent by someone else than this
/// message's From, so they are never this message's iTIP content. They still count for the limits.
/// </remarks>
internal static class MimeTreeWalker
{
    public static IReadOnlyList<MimePart> CalendarParts(MimeEntity? body, ImipLimits limits, int parserMaxDepth)
    {
        var found = new List<MimePart>();
        if (body is null)
            return found;
        var pending = new Stack<(MimeEntity Entity, int Depth, bool Embedded)>();
        pending.Push((body, 0, false));
        var parts = 0;
        while (pending.Count > 0)
        {
            var (entity, depth, embedded) = pending.Pop();
            if (++parts > limits.MaxParts)
                throw new MailRefusedException(ImipRefusalCodes.TooManyParts, $"The message has more than {limits.MaxParts} MIME parts.");
            if (depth > limits.MaxMimeDepth || (depth >= parserMaxDepth && IsContainerType(entity.ContentType)))
                throw new MailRefusedException(ImipRefusalCodes.TooDeep, $"The message nests multiparts or messages deeper than {limits.MaxMimeDepth}.");
            switch (entity)
            {
                case Multipart multipart:
                    // Pushed in reverse so they pop in document order.
                    for (var i = multipart.Count - 1; i >= 0; i--)
                        pending.Push((multipart[i], depth + 1, embedded));
                    break;
                case MessagePart { Message.Body: { } inner }:
                    pending.Push((inner, depth + 1, true));
                    break;
                case MimePart part when !embedded && IsCalendarType(part.ContentType):
                    found.Add(part);
                    break;
            }
        }
        return found;
    }

    public static bool IsCalendarType(ContentType type) =>
        type.IsMimeType("text", "calendar") || type.IsMimeType("application", "ics");

    // MimeKit turns a multipart or message below its MaxMimeDepth into an opaque leaf; meeting one means the
    // nesting went on beyond what we let the parser read.
    private static bool IsContainerType(ContentType type) =>
        type.MediaType.Equals("multipart", StringComparison.OrdinalIgnoreCase) || type.IsMimeType("message", "rfc822")
        || type.IsMimeType("message", "global") || type.IsMimeType("message", "news");
}
