namespace Caldera.Imip.Outbound;

/// <summary>
/// Queues an iTIP message for delivery by email (RFC 6047). Durable on return: the message is stored (claim-check
/// blob + queue message + status row) and a queue-triggered function sends it over SMTP, with retries and a poison
/// queue; status rows are visible through the management API and <c>caldera-admin</c>.
/// </summary>
public interface IOutboundImip
{
    Task<OutboundImipReceipt> EnqueueAsync(OutboundImipRequest request, CancellationToken ct);
}

/// <param name="User">The Caldera user the message is sent for (whose status rows it joins).</param>
/// <param name="From">The calendar user address the message speaks for (ORGANIZER for REQUEST/CANCEL, the ATTENDEE for REPLY), lower-case email.</param>
/// <param name="To">The recipient's email, lower case.</param>
/// <param name="Method">The iTIP METHOD (REQUEST, CANCEL, REPLY, …).</param>
/// <param name="CalendarText">The whole iCalendar object, METHOD included.</param>
/// <param name="Summary">The event's SUMMARY for the subject and text part, or null.</param>
public sealed record OutboundImipRequest(string User, string From, string To, string Method, string Uid, string CalendarText, string? Summary);

/// <param name="Id">The outbound message id (status row key).</param>
public sealed record OutboundImipReceipt(string Id);
