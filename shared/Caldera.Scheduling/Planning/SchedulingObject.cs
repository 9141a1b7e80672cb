using Caldera.Imip.Itip;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;

namespace Caldera.Scheduling.Planning;

/// <summary>
/// The scheduling view of one calendar object resource: its VEVENTs or VTODOs by instance (<see cref="InstanceKeys"/>),
/// the ORGANIZER they name, and which calendar users are ATTENDEEs of which instance.
/// </summary>
internal sealed class SchedulingObject
{
    public required Calendar Calendar { get; init; }
    /// <summary>VEVENT or VTODO.</summary>
    public required string Kind { get; init; }
    public required string Uid { get; init; }
    public required IReadOnlyDictionary<string, RecurringComponent> Components { get; init; }
    /// <summary>The ORGANIZER's <see cref="AddressKey"/>, or null when no component names one.</summary>
    public required string? Organizer { get; init; }
    /// <summary>Two components name different ORGANIZERs (RFC 6638 §3.2.4.2).</summary>
    public bool OrganizersDiffer => Organizers.Count > 1;
    /// <summary>Every ORGANIZER named (one, unless the components disagree).</summary>
    public required IReadOnlySet<string> Organizers { get; init; }
    /// <summary>Per attendee <see cref="AddressKey"/>: the instances whose component lists them, with that ATTENDEE property.</summary>
    public required IReadOnlyDictionary<string, Dictionary<string, Attendee>> Members { get; init; }

    public RecurringComponent? Master => Components.GetValueOrDefault(InstanceKeys.Master);

    /// <summary>The instances the master's EXDATEs take out of the series.</summary>
    public IReadOnlySet<string> Exdates => exdates ??= Master is null ? new HashSet<string>()
        : Master.ExceptionDates.GetAllDates().Select(InstanceKeys.Of).ToHashSet();

    HashSet<string>? exdates;

    /// <summary>The scheduled components of a calendar, or null when it holds no VEVENT or VTODO.</summary>
    public static SchedulingObject? From(Calendar? calendar)
    {
        if (calendar is null)
            return null;
        var first = calendar.Children.OfType<RecurringComponent>().FirstOrDefault(c => c.Name is "VEVENT" or "VTODO");
        if (first is null)
            return null;
        var kind = first.Name;
        var components = new Dictionary<string, RecurringComponent>();
        var organizers = new HashSet<string>();
        var members = new Dictionary<string, Dictionary<string, Attendee>>();
        foreach (var component in calendar.Children.OfType<RecurringComponent>().Where(c => c.Name == kind))
        {
            var key = InstanceKeys.Of(component);
            components[key] = component;
            var unique = (UniqueComponent)component;
            // A component without ORGANIZER is read as the others' (older clients leave it off overrides).
            if (AddressKey(unique.Organizer?.Value) is { } organizer)
                organizers.Add(organizer);
            foreach (var attendee in unique.Attendees)
            {
                if (AddressKey(attendee.Value) is not { } address)
                    continue;
                if (!members.TryGetValue(address, out var instances))
                    members[address] = instances = [];
                instances[key] = attendee;
            }
        }
        return new SchedulingObject
        {
            Calendar = calendar,
            Kind = kind,
            Uid = first.Uid ?? "",
            Components = components,
            Organizer = organizers.FirstOrDefault(),
            Organizers = organizers,
            Members = members,
        };
    }

    /// <summary>
    /// A calendar user address as the planner compares them: the lower-case email of a mailto: address, or the whole
    /// address after "?" for any other scheme (which can be compared but not mailed).
    /// </summary>
    public static string? AddressKey(Uri? value)
    {
        if (value is null || string.IsNullOrWhiteSpace(value.OriginalString))
            return null;
        // Ical.Net puts "mailto:" before any value with an "@" (sip:carol@example.net becomes mailto:sip:…), so an
        // "email" that still holds a scheme is another kind of address.
        return CalendarAddress.Normalize(value) is { } email && !email.Contains(':')
            ? email
            : "?" + value.OriginalString.Trim().ToLowerInvariant();
    }

    public static bool IsMailto(string addressKey) => !addressKey.StartsWith('?');

    public SchedulingRole RoleFor(IReadOnlySet<string> ownerAddresses)
    {
        if (Organizer is null)
            return SchedulingRole.None;
        if (ownerAddresses.Contains(Organizer))
            return Members.Keys.Any(a => a != Organizer && !ownerAddresses.Contains(a)) ? SchedulingRole.Organizer : SchedulingRole.None;
        return OwnerAttendee(ownerAddresses) is not null ? SchedulingRole.Attendee : SchedulingRole.None;
    }

    /// <summary>The owner's address among the ATTENDEEs (the first that matches), or null.</summary>
    public string? OwnerAttendee(IReadOnlySet<string> ownerAddresses) =>
        Members.Keys.Where(ownerAddresses.Contains).Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>Whether the whole event is cancelled (STATUS:CANCELLED on the master, or on every component when there is none).</summary>
    public bool IsCancelled => Master is { } master ? IsCancelledComponent(master) : Components.Values.All(IsCancelledComponent);

    public static bool IsCancelledComponent(RecurringComponent c) =>
        string.Equals(c.Properties.Get<string>("STATUS"), "CANCELLED", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="attendee"/> takes part in instance <paramref name="key"/>: named by its override, or by the master when it has none and no EXDATE removes it.</summary>
    public bool Attends(string attendee, string key)
    {
        if (!Members.TryGetValue(attendee, out var instances))
            return false;
        if (Components.ContainsKey(key))
            return instances.ContainsKey(key);
        return key != InstanceKeys.Master && instances.ContainsKey(InstanceKeys.Master) && !Exdates.Contains(key);
    }
}
