using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Caldera.Imip.Itip;

/// <summary>
/// Applies an iTIP message (RFC 5546 §3.2) to the recipient's stored copy of the event, without any storage: the
/// result is a decision and, when something changes, the new object text. The sender has passed
/// <see cref="SenderCheck"/>; the checks that need the stored copy (whose event is it, is the replier invited)
/// are made here.
/// </summary>
public static class ItipApplier
{
    /// <param name="stored">The recipient's current copy (same UID), or null.</param>
    /// <param name="recipient">The recipient's email (lower case).</param>
    /// <param name="attendee">For attendee methods, the attendee the message speaks for.</param>
    public static ItipDecision Apply(ItipMessage message, Calendar? stored, string recipient, string? attendee)
    {
        var storedItems = stored is null ? [] : Items(stored, message.Kind);
        if (stored is not null && storedItems.Count == 0)
            return ItipDecision.Quarantine("uid-conflict", $"the recipient already has a non-{message.Kind} object with UID {message.Uid}");
        var storedOrganizer = storedItems.OfType<UniqueComponent>().Select(u => CalendarAddress.Normalize(u.Organizer?.Value)).FirstOrDefault(o => o is not null);

        if (SenderCheck.IsOrganizerMethod(message.Method))
        {
            if (CalendarAddress.Same(message.Organizer, recipient))
                return ItipDecision.Quarantine("recipient-is-organizer",
                    $"{message.Method} is addressed to its own ORGANIZER; the organizer's copy is changed by CalDAV, not by email");
            if (stored is not null && !CalendarAddress.Same(storedOrganizer, message.Organizer))
                return ItipDecision.Quarantine("uid-belongs-to-another-organizer",
                    $"UID {message.Uid} is an event organized by {storedOrganizer ?? "the recipient (no ORGANIZER)"}, not by {message.Organizer}");
            if (stored is not null && message.Delegate is { } organizerDelegate
                && !storedItems.OfType<UniqueComponent>().Any(u => CalendarAddress.Same(CalendarAddress.Normalize(u.Organizer?.SentBy), organizerDelegate)))
                return ItipDecision.Quarantine("delegate-not-known",
                    $"{organizerDelegate} sent this {message.Method} for {message.Organizer} by the message's own SENT-BY, which the recipient's copy of {message.Uid} does not name; only the organizer can change it (RFC 6047 §3)");
        }
        else
        {
            if (stored is null)
                return ItipDecision.Ignore("unknown-event", $"{message.Method} for UID {message.Uid}, which the recipient does not have");
            if (!CalendarAddress.Same(storedOrganizer, recipient))
                return ItipDecision.Quarantine("recipient-not-organizer",
                    $"{message.Method} answers an event the recipient does not organize (its ORGANIZER is {storedOrganizer ?? "missing"})");
            if (!storedItems.OfType<UniqueComponent>().Any(u => FindAttendee(u, attendee!) is not null))
                return ItipDecision.Quarantine("not-an-attendee", $"{attendee} is not an ATTENDEE of the organizer's copy of {message.Uid}");
            if (message.Delegate is { } attendeeDelegate
                && !storedItems.OfType<UniqueComponent>().Any(u => CalendarAddress.Same(CalendarAddress.Normalize(FindAttendee(u, attendee!)?.SentBy), attendeeDelegate)))
                return ItipDecision.Quarantine("delegate-not-known",
                    $"{attendeeDelegate} answers for {attendee} by the message's own SENT-BY, which the organizer's copy of {message.Uid} does not name for that attendee (RFC 6047 §3)");
        }

        return message.Method switch
        {
            "REQUEST" or "PUBLISH" => Request(message, stored, storedItems, recipient),
            "ADD" => Add(message, stored, storedItems),
            "CANCEL" => Cancel(message, stored, storedItems),
            "REPLY" => Reply(message, stored!, storedItems, attendee!),
            "COUNTER" => ItipDecision.Record("counter-proposal",
                $"{attendee} proposes {Describe(message.Items[0])} for {message.Uid}; the organizer accepts by sending a new REQUEST or declines with DECLINECOUNTER"),
            "REFRESH" => ItipDecision.Record("refresh-requested",
                $"{attendee} asks for the latest version of {message.Uid}; Caldera sends no email, so the organizer's client has to resend it"),
            "DECLINECOUNTER" => stored is null
                ? ItipDecision.Ignore("unknown-event", $"DECLINECOUNTER for UID {message.Uid}, which the recipient does not have")
                : ItipDecision.Record("counter-declined", $"{message.Organizer} declined the counter-proposal for {message.Uid}"),
            _ => ItipDecision.Ignore("unsupported-method", $"METHOD {message.Method} is not applied"),
        };
    }

    static ItipDecision Request(ItipMessage message, Calendar? stored, List<RecurringComponent> storedItems, string recipient)
    {
        if (stored is null)
            return ItipDecision.Write(AsSent(message), "new invitation");
        var storedMaster = storedItems.FirstOrDefault(i => i.InstanceId() is null);

        if (message.Master is { } master)
        {
            var reference = storedMaster ?? storedItems.MaxBy(ItipOrdering.Stamp)!;
            if (!ItipOrdering.IsNewer(master, reference))
                return ItipDecision.Stale($"the recipient's copy ({ItipOrdering.Describe(reference)}) is not older than this REQUEST ({ItipOrdering.Describe(master)})");
            // A REQUEST for the series is the organizer's whole current state: it replaces the copy.
            var replacement = WithoutMethod(message);
            var text = KeepOwnAnswer(Items(replacement, message.Kind), storedItems, recipient)
                ? Serialize(replacement)
                : AsSent(message); // nothing of the copy to keep: store what the organizer sent
            return ItipDecision.Write(text, $"updated to {ItipOrdering.Describe(master)}");
        }

        // Only instances: each replaces its own override if it is newer than what the copy says about that instance.
        var changed = 0;
        foreach (var item in message.Items)
        {
            var existing = storedItems.FirstOrDefault(s => s.InstanceId() is not null && ItipOrdering.SameInstance(s.InstanceId(), item.InstanceId()));
            var reference = existing ?? storedMaster;
            if (reference is not null && !ItipOrdering.IsNewer(item, reference))
                continue;
            var copy = Reparse(item);
            KeepOwnAnswer([copy], storedItems, recipient);
            if (existing is not null)
                RemoveChild(stored, existing);
            stored.Children.Add(copy);
            changed++;
        }
        return InstancesChanged(message, stored, changed, "every instance in this REQUEST is not newer than the recipient's copy",
            $"updated {changed} instance(s)");
    }

    static ItipDecision Add(ItipMessage message, Calendar? stored, List<RecurringComponent> storedItems)
    {
        var master = storedItems.FirstOrDefault(i => i.InstanceId() is null);
        if (stored is null || master is null)
            return ItipDecision.Ignore("unknown-event", $"ADD for UID {message.Uid}, whose series the recipient does not have (RFC 5546 §3.2.4: a REFRESH is due)");
        var added = 0;
        foreach (var item in message.Items)
        {
            if (item.Sequence < master.Sequence || item.DtStart is null)
                continue;
            if (storedItems.Any(s => ItipOrdering.SameInstance(s.InstanceId(), item.DtStart)))
                continue;
            // The new instance becomes an RDATE of the series plus an override that carries its details.
            master.RecurrenceDates.Add(item.DtStart);
            var copy = Reparse(item);
            copy.RecurrenceIdentifier = new RecurrenceIdentifier(item.DtStart);
            stored.Children.Add(copy);
            added++;
        }
        return InstancesChanged(message, stored, added, "ADD holds no instance that is new to the recipient's copy",
            $"added {added} instance(s)");
    }

    static ItipDecision Cancel(ItipMessage message, Calendar? stored, List<RecurringComponent> storedItems)
    {
        if (stored is null)
            return ItipDecision.Ignore("unknown-event", $"CANCEL for UID {message.Uid}, which the recipient does not have");
        var master = storedItems.FirstOrDefault(i => i.InstanceId() is null);

        if (message.Master is { } whole)
        {
            var reference = master ?? storedItems[0];
            if (whole.Sequence < reference.Sequence)
                return ItipDecision.Stale($"CANCEL ({ItipOrdering.Describe(whole)}) is older than the recipient's copy ({ItipOrdering.Describe(reference)})");
            if (storedItems.All(IsCancelled))
                return ItipDecision.Stale("the event is already cancelled");
            // The event stays in the calendar, marked cancelled, so the recipient sees what happened to it.
            foreach (var item in storedItems)
            {
                SetStatusCancelled(item);
                item.Sequence = Math.Max(item.Sequence, whole.Sequence);
            }
            return ItipDecision.Write(Serialize(stored), "the event is cancelled");
        }

        var cancelled = 0;
        foreach (var instance in message.Items)
        {
            var existing = storedItems.FirstOrDefault(s => s.InstanceId() is not null && ItipOrdering.SameInstance(s.InstanceId(), instance.InstanceId()));
            var reference = existing ?? master;
            if (reference is null || instance.Sequence < reference.Sequence)
                continue;
            if (master is not null && instance.RecurrenceIdentifier!.Range == RecurrenceRange.ThisAndFuture)
            {
                // This and every later instance (RFC 5546 §3.2.5): the series ends just before it.
                if (!EndSeriesBefore(stored, master, storedItems, instance.InstanceId()!))
                    continue;
            }
            else if (master is not null)
            {
                // One instance of a series: it leaves the series (EXDATE), with any override it had.
                if (master.ExceptionDates.GetAllDates().Any(d => d.AsUtc == instance.InstanceId()!.AsUtc))
                    continue;
                master.ExceptionDates.Add(instance.InstanceId()!);
                if (existing is not null)
                    RemoveChild(stored, existing);
            }
            else if (existing is not null && !IsCancelled(existing))
                SetStatusCancelled(existing);
            else
                continue;
            cancelled++;
        }
        return InstancesChanged(message, stored, cancelled, "no instance of this CANCEL is newer than, or missing from, the recipient's copy",
            $"cancelled {cancelled} instance(s)");
    }

    static ItipDecision Reply(ItipMessage message, Calendar stored, List<RecurringComponent> storedItems, string attendee)
    {
        var master = storedItems.FirstOrDefault(i => i.InstanceId() is null);
        var changed = new List<string>();
        // Instances first: an override made for one copies the series as it was, not as this message answers it.
        foreach (var item in message.Items.OrderBy(x => x.InstanceId() is null ? 1 : 0))
        {
            var answer = FindAttendee((UniqueComponent)item, attendee);
            var partstat = answer?.ParticipationStatus?.ToUpperInvariant();
            if (answer is null || string.IsNullOrEmpty(partstat))
                continue;
            IEnumerable<RecurringComponent> targets;
            if (item.InstanceId() is null)
                // A reply to the series answers every instance it appears in, except those this same message answers
                // one by one: an instance's own answer wins over the series' (both carry one DTSTAMP).
                targets = storedItems.Where(s => s.InstanceId() is not { } id
                    || !message.Items.Any(i => ItipOrdering.SameInstance(i.InstanceId(), id)));
            else
            {
                var existing = storedItems.FirstOrDefault(s => ItipOrdering.SameInstance(s.InstanceId(), item.InstanceId()))
                    ?? (master is null ? null : NewOverride(stored, master, item.InstanceId()!));
                if (existing is null)
                    continue;
                targets = [existing];
            }
            var stamp = ItipOrdering.Stamp(item);
            foreach (var target in targets)
            {
                if (item.Sequence < target.Sequence)
                    continue; // a reply to an older revision of the event
                if (FindAttendee((UniqueComponent)target, attendee) is not { } mine)
                    continue;
                // Replies of one SEQUENCE are ordered by their DTSTAMP (RFC 5546 §2.1.5), remembered on the ATTENDEE
                // as CalendarServer does (X-CALENDARSERVER-DTSTAMP), so a late older answer cannot undo a newer one.
                var previous = ReplyStamp(mine);
                if (previous is not null ? stamp <= previous : mine.ParticipationStatus?.ToUpperInvariant() == partstat)
                    continue;
                if (stamp != DateTime.MinValue)
                    mine.Parameters.Set(ReplyStampParameter, stamp.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                mine.ParticipationStatus = partstat;
                if (answer.DelegatedTo.Count > 0)
                    mine.DelegatedTo = answer.DelegatedTo.ToList();
                changed.Add(partstat);
            }
        }
        if (changed.Count == 0)
            return ItipDecision.Stale($"the organizer's copy already holds this answer from {attendee}, or the reply is older than it");
        return ItipDecision.Write(Serialize(stored), $"{attendee} is now {changed[0]}");
    }

    const string ReplyStampParameter = "X-CALDERA-DTSTAMP";

    static DateTime? ReplyStamp(Attendee attendee) =>
        attendee.Parameters.Get(ReplyStampParameter) is { } text &&
        DateTime.TryParseExact(text, "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var stamp)
            ? stamp : null;

    /// <summary>
    /// Ends the series before <paramref name="from"/>: RRULE gets an UNTIL one second (or, for dates, one day) earlier,
    /// later RDATEs and overrides go. False if nothing of the series was left at or after it.
    /// </summary>
    static bool EndSeriesBefore(Calendar stored, RecurringComponent master, List<RecurringComponent> storedItems, CalDateTime from)
    {
        var changed = false;
        if (master.RecurrenceRule is { } rule)
        {
            var until = !from.HasTime ? from.AddDays(-1) : from.IsFloating ? from.AddSeconds(-1) : new CalDateTime(from.AsUtc.AddSeconds(-1), "UTC");
            if (RuleReaches(master, from))
            {
                rule.Count = null;
                rule.Until = until;
                master.RecurrenceRule = rule;
                changed = true;
            }
        }
        foreach (var later in storedItems.Where(s => s.InstanceId() is { } id && id.AsUtc >= from.AsUtc).ToList())
        {
            RemoveChild(stored, later);
            changed = true;
        }
        var keptDates = master.RecurrenceDates.GetAllDates().Where(d => d.AsUtc < from.AsUtc).ToList();
        if (keptDates.Count != master.RecurrenceDates.GetAllDates().Count())
        {
            master.Properties.Remove("RDATE");
            foreach (var d in keptDates)
                master.RecurrenceDates.Add(d);
            changed = true;
        }
        return changed;
    }

    /// <summary>Whether the RRULE (not an RDATE) has an instance at or after <paramref name="from"/>; COUNT is only replaced then.</summary>
    static bool RuleReaches(RecurringComponent master, CalDateTime from)
    {
        var rdates = master.RecurrenceDates.GetAllDates().Select(d => d.AsUtc).ToHashSet();
        try
        {
            return master.GetOccurrences(from, Calendars.CalendarObjectParser.Evaluation)
                .Any(o => o.Period.StartTime.AsUtc >= from.AsUtc && !rdates.Contains(o.Period.StartTime.AsUtc));
        }
        catch (Exception)
        {
            return true; // a rule Ical.Net cannot evaluate: ending it is the safe reading of the CANCEL
        }
    }

    /// <summary>After instance-level changes: stale if none, else the copy with any time zones the new instances name.</summary>
    static ItipDecision InstancesChanged(ItipMessage message, Calendar stored, int changed, string staleReason, string reason)
    {
        if (changed == 0)
            return ItipDecision.Stale(staleReason);
        CopyMissingTimeZones(message.Calendar, stored);
        return ItipDecision.Write(Serialize(stored), reason);
    }

    /// <summary>An override for one instance of the series, made from the master so a reply can be recorded on it.</summary>
    static RecurringComponent? NewOverride(Calendar stored, RecurringComponent master, CalDateTime recurrenceId)
    {
        if (master is not CalendarEvent and not Todo || master.DtStart is null)
            return null;
        // A separate object graph: Ical.Net's Copy shares property values (attendees) with the original.
        var copy = Reparse(master);
        foreach (var name in new[] { "RRULE", "RDATE", "EXDATE", "EXRULE" })
            copy.Properties.Remove(name);
        if (copy is CalendarEvent e && master is CalendarEvent m)
        {
            var length = m.EffectiveDuration;
            e.DtStart = recurrenceId;
            if (e.DtEnd is not null)
                e.DtEnd = recurrenceId.Add(length);
        }
        else
            copy.DtStart = recurrenceId;
        copy.RecurrenceIdentifier = new RecurrenceIdentifier(recurrenceId);
        stored.Children.Add(copy);
        return copy;
    }

    /// <summary>
    /// A minor update (same SEQUENCE, RFC 5546 §2.1.4) does not ask attendees to answer again, so the recipient's
    /// own PARTSTAT survives it when the update only says NEEDS-ACTION.
    /// </summary>
    static bool KeepOwnAnswer(IEnumerable<RecurringComponent> incoming, List<RecurringComponent> storedItems, string recipient)
    {
        var kept = false;
        foreach (var item in incoming.OfType<UniqueComponent>())
        {
            var before = storedItems.FirstOrDefault(s => ItipOrdering.SameInstance(s.InstanceId(), ((RecurringComponent)item).InstanceId()));
            if (before is null || before.Sequence != ((RecurringComponent)item).Sequence)
                continue;
            var now = FindAttendee(item, recipient);
            var then = FindAttendee((UniqueComponent)before, recipient);
            if (now is not null && then?.ParticipationStatus is { } answer && !answer.Equals(now.ParticipationStatus, StringComparison.OrdinalIgnoreCase) &&
                (now.ParticipationStatus is null || now.ParticipationStatus.Equals("NEEDS-ACTION", StringComparison.OrdinalIgnoreCase)))
            {
                now.ParticipationStatus = answer;
                kept = true;
            }
        }
        return kept;
    }

    static Attendee? FindAttendee(UniqueComponent component, string address) =>
        component.Attendees.FirstOrDefault(a => CalendarAddress.Same(CalendarAddress.Normalize(a.Value), address));

    static bool IsCancelled(RecurringComponent c) =>
        string.Equals(c.Properties.Get<string>("STATUS"), "CANCELLED", StringComparison.OrdinalIgnoreCase);

    static void SetStatusCancelled(RecurringComponent c)
    {
        c.Properties.Remove("STATUS");
        c.AddProperty("STATUS", "CANCELLED");
    }

    static List<RecurringComponent> Items(Calendar calendar, string kind) =>
        calendar.Children.OfType<RecurringComponent>().Where(c => c.Name.Equals(kind, StringComparison.OrdinalIgnoreCase)).ToList();

    static void CopyMissingTimeZones(Calendar from, Calendar to)
    {
        var have = to.TimeZones.Select(t => t.TzId).ToHashSet(StringComparer.Ordinal);
        foreach (var zone in from.TimeZones.Where(z => !have.Contains(z.TzId)))
            to.Children.Add(zone.Copy<VTimeZone>()!);
    }

    /// <summary>The organizer's text without METHOD, with the CRLF line ends RFC 5545 asks for (mail may have turned them into LF).</summary>
    static string AsSent(ItipMessage message) => MethodLine.Remove(message.Text).ReplaceLineEndings("\r\n");

    /// <summary>
    /// A calendar object resource must not carry METHOD (RFC 4791 §4.1): a fresh parse of the text without it, so the
    /// message's own objects stay untouched (no serialize-and-parse round trip of the message).
    /// </summary>
    static Calendar WithoutMethod(ItipMessage message) => Calendar.Load(AsSent(message))!;

    static string Describe(RecurringComponent c) =>
        c.DtStart is null ? "no new time" : c is CalendarEvent { DtEnd: { } end } ? $"{c.DtStart} – {end}" : c.DtStart.ToString();

    /// <summary>Ical.Net's list Remove compares by value and may take an equal sibling; this removes that very object.</summary>
    static void RemoveChild(Calendar calendar, RecurringComponent child)
    {
        var keep = calendar.Children.Where(c => !ReferenceEquals(c, child)).ToList();
        calendar.Children.Clear();
        foreach (var c in keep)
            calendar.Children.Add(c);
    }

    static RecurringComponent Reparse(RecurringComponent component)
    {
        var holder = new Calendar();
        holder.Children.Add(component.Copy<RecurringComponent>()!);
        var text = Serialize(holder);
        return Calendar.Load(text)!.Children.OfType<RecurringComponent>().Single();
    }

    static string Serialize(Calendar calendar) => new CalendarSerializer().SerializeToString(calendar) ?? "";
}
