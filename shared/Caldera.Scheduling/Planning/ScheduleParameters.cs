using Ical.Net;

namespace Caldera.Scheduling.Planning;

/// <summary>Who schedules for a calendar user (RFC 6638 §7.1).</summary>
internal enum ScheduleAgent { Server, Client, None }

/// <summary>The RFC 6638 §7 parameters on ORGANIZER and ATTENDEE, as the planner reads and writes them.</summary>
internal static class ScheduleParameters
{
    public const string Agent = "SCHEDULE-AGENT";
    public const string Status = "SCHEDULE-STATUS";
    public const string ForceSend = "SCHEDULE-FORCE-SEND";
    /// <summary>Caldera's own record of a reply's DTSTAMP on the organizer's copy (see ItipApplier); never sent.</summary>
    public const string ReplyStamp = "X-CALDERA-DTSTAMP";

    /// <summary>Absent means SERVER; a value the server does not know counts as NONE (RFC 6638 §7.1).</summary>
    public static ScheduleAgent AgentOf(IParameterCollection parameters) =>
        Value(parameters, Agent) switch
        {
            null => ScheduleAgent.Server,
            "SERVER" => ScheduleAgent.Server,
            "CLIENT" => ScheduleAgent.Client,
            _ => ScheduleAgent.None,
        };

    /// <summary>REQUEST or REPLY (RFC 6638 §7.2); null when absent or another value, which the server ignores.</summary>
    public static string? ForceSendOf(IParameterCollection parameters) =>
        Value(parameters, ForceSend) is { } v && v is "REQUEST" or "REPLY" ? v : null;

    /// <summary>Removes what only the owner's server may read from a property that goes into an iTIP message (RFC 6638 §7.1–7.3).</summary>
    public static void StripForMessage(IParameterCollection parameters)
    {
        parameters.Remove(Agent);
        parameters.Remove(Status);
        parameters.Remove(ForceSend);
        parameters.Remove(ReplyStamp);
    }

    static string? Value(IParameterCollection parameters, string name) =>
        parameters.Get(name) is { Length: > 0 } v ? v.Trim().ToUpperInvariant() : null;
}
