using System.Globalization;
using System.Xml.Linq;
using Caldera.Calendars;
using Caldera.Calendars.Manager;
using Caldera.Calendars.Query;
using Caldera.Storage;
using Caldera.Dav.Xml;
using static Caldera.Dav.Xml.DavNames;

namespace Caldera.Dav.Properties;

/// <summary>
/// Validates a list of property sets/removes on a calendar (PROPPATCH, MKCALENDAR, extended MKCOL) into one
/// <see cref="CalendarPropertyChanges"/>, or into per-property failures: all or nothing (RFC 4918 §9.2).
/// </summary>
public sealed class CalendarPropertyUpdate
{
    readonly List<(XElement Prop, int Status, XElement? Error, string? Description)> _outcomes = [];
    CalendarPropertyChanges _changes = new();
    readonly HashSet<string> _removed = [];

    public IReadOnlyList<string>? Components { get; private set; }
    public bool Failed => _outcomes.Any(o => o.Status != 200);
    public CalendarPropertyChanges Changes => _changes with { Removed = _removed.ToList() };

    /// <summary>Applies one DAV:set or DAV:remove instruction's property. Creation also accepts the component set and resourcetype.</summary>
    public void Apply(XElement prop, bool remove, bool creating)
    {
        var name = prop.Name;
        try
        {
            if (name == D + "displayname") Text(prop, remove, "DisplayName", v => _changes = _changes with { DisplayName = v });
            else if (name == C + "calendar-description") Text(prop, remove, "Description", v => _changes = _changes with { Description = v });
            else if (name == ICAL + "calendar-color") Color(prop, remove);
            else if (name == ICAL + "calendar-order") Order(prop, remove);
            else if (name == C + "calendar-timezone") TimeZone(prop, remove);
            else if (name == C + "calendar-timezone-id") TimeZoneId(prop, remove);
            else if (creating && name == C + "supported-calendar-component-set") ComponentSet(prop);
            else if (creating && name == D + "resourcetype") ResourceType(prop);
            else if (IsProtected(name))
                Fail(prop, 403, new XElement(D + "cannot-modify-protected-property"));
            else
                Fail(prop, 403, null);
            if (!_outcomes.Any(o => o.Prop.Name == name))
                _outcomes.Add((new XElement(name), 200, null, null));
        }
        catch (InvalidPropertyException e)
        {
            Fail(prop, e.Status, e.Condition, e.Description);
        }
    }

    /// <summary>Records a property handled elsewhere (a dead property): 200, or 424 once something fails.</summary>
    public void Accept(XName name)
    {
        if (!_outcomes.Any(o => o.Prop.Name == name))
            _outcomes.Add((new XElement(name), 200, null, null));
    }

    /// <summary>Fails a property for a reason found elsewhere (507 for a dead property that does not fit, 403 on an object).</summary>
    public void Refuse(XName name, int status, XElement? condition, string? description = null) => Fail(new XElement(name), status, condition, description);

    /// <summary>Propstats for the response: failures as they are, everything else 424 once something failed.</summary>
    public List<Propstat> Propstats()
    {
        var failed = Failed;
        return _outcomes
            .Select(o => (o.Prop, Status: failed && o.Status == 200 ? 424 : o.Status, o.Error, o.Description))
            .GroupBy(o => (o.Status, Error: o.Error?.ToString(), o.Description))
            .Select(g => new Propstat(g.Key.Status, g.Select(x => new XElement(x.Prop.Name)).ToList(), g.First().Error, g.Key.Description))
            .ToList();
    }

    void Fail(XElement prop, int status, XElement? condition, string? description = null)
    {
        _outcomes.RemoveAll(o => o.Prop.Name == prop.Name);
        _outcomes.Add((new XElement(prop.Name), status, condition, description));
    }

    void Text(XElement prop, bool remove, string field, Action<string> set)
    {
        if (remove) { _removed.Add(field); return; }
        var value = prop.Value;
        if (!CalendarRules.IsValidText(value))
            throw new InvalidPropertyException(409, null);
        _removed.Remove(field);
        set(value);
    }

    void Color(XElement prop, bool remove)
    {
        if (remove) { _removed.Add("Color"); return; }
        var value = prop.Value.Trim();
        if (!CalendarRules.IsValidColor(value))
            throw new InvalidPropertyException(409, null);
        _removed.Remove("Color");
        _changes = _changes with { Color = value };
    }

    void Order(XElement prop, bool remove)
    {
        if (remove) { _removed.Add("Order"); return; }
        if (!int.TryParse(prop.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var order))
            throw new InvalidPropertyException(409, null);
        _removed.Remove("Order");
        _changes = _changes with { Order = order };
    }

    void TimeZone(XElement prop, bool remove)
    {
        if (remove)
        {
            Agree(_timeZoneId, remove: true, id: null);
            _timeZone = (true, null);
            _removed.Add("TimeZone");
            return;
        }
        var text = prop.Value;
        try
        {
            FloatingTimeZone.Definition(text);
        }
        catch (CalendarDataException)
        {
            throw new InvalidPropertyException(403, new XElement(C + "valid-calendar-data"));
        }
        var named = CalendarTimeZoneId.Of(text);
        Agree(_timeZoneId, remove: false, named);
        _timeZone = (false, named);
        _removed.Remove("TimeZone");
        _changes = _changes with { TimeZone = text };
    }

    /// <summary>
    /// RFC 7809 §5.2: the id names the same zone as calendar-timezone, so it is stored as that property (a VTIMEZONE
    /// from the database); removing it removes the calendar's time zone.
    /// </summary>
    void TimeZoneId(XElement prop, bool remove)
    {
        if (remove)
        {
            Agree(_timeZone, remove: true, id: null);
            _timeZoneId = (true, null);
            _removed.Add("TimeZone");
            return;
        }
        var id = CalendarTimeZoneId.Known(prop.Value)
            ?? throw new InvalidPropertyException(403, new XElement(C + "valid-timezone"), $"unknown time zone '{prop.Value.Trim()}'");
        Agree(_timeZone, remove: false, id);
        _timeZoneId = (false, id);
        _removed.Remove("TimeZone");
        // A calendar-timezone set in the same request (and naming this zone) is the client's own definition: kept.
        if (_timeZone is not { Remove: false })
            _changes = _changes with { TimeZone = CalendarTimeZoneId.Definition(id) };
    }

    // The last calendar-timezone and calendar-timezone-id instructions of this request: removed, or the IANA id they
    // name (for calendar-timezone, what CalendarTimeZoneId.Of reads off it; null for a zone of the client's own).
    (bool Remove, string? Id)? _timeZone, _timeZoneId;

    /// <summary>One of the pair set or removed in a request that already set or removed the other: both must say the same.</summary>
    static void Agree((bool Remove, string? Id)? other, bool remove, string? id)
    {
        if (other is { } o && (o.Remove != remove || (!remove && o.Id != id)))
            throw Inconsistent();
    }

    static InvalidPropertyException Inconsistent() =>
        new(409, null, "calendar-timezone and calendar-timezone-id must name the same time zone (RFC 7809 §5.2)");

    void ComponentSet(XElement prop)
    {
        var names = prop.Elements(C + "comp").Select(c => (string?)c.Attribute("name") ?? "").Select(n => n.ToUpperInvariant()).Distinct().ToList();
        if (names.Count == 0 || names.Any(n => !CalendarObjectParser.KnownComponents.Contains(n)))
            throw new InvalidPropertyException(403, new XElement(C + "supported-calendar-component"));
        Components = names;
    }

    static void ResourceType(XElement prop)
    {
        var kinds = prop.Elements().Select(e => e.Name).ToHashSet();
        if (!kinds.SetEquals([D + "collection", C + "calendar"]))
            throw new InvalidPropertyException(403, new XElement(D + "valid-resourcetype"));
    }

    /// <summary>Names no client may set: live properties the server computes.</summary>
    public static bool IsProtected(XName name) =>
        name.Namespace == D && name.LocalName is "resourcetype" or "getetag" or "getcontenttype" or "getcontentlength" or "getlastmodified"
            or "current-user-principal" or "current-user-privilege-set" or "owner" or "supported-report-set" or "sync-token" or "principal-URL"
            or "acl" or "supported-privilege-set" or "creationdate" or "lockdiscovery" or "supportedlock"
            or "quota-used-bytes" or "quota-available-bytes" ||
        name.Namespace == C && name.LocalName is "supported-calendar-component-set" or "supported-calendar-data" or "max-resource-size" or "max-instances"
            or "calendar-home-set" or "calendar-user-address-set" or "min-date-time" or "max-date-time"
            or "schedule-inbox-URL" or "schedule-outbox-URL" or "calendar-user-type" or "schedule-default-calendar-URL" or "schedule-tag" ||
        name == CS + "getctag";

    sealed class InvalidPropertyException(int status, XElement? condition, string? description = null) : Exception
    {
        public int Status { get; } = status;
        public XElement? Condition { get; } = condition;
        public string? Description { get; } = description;
    }
}
