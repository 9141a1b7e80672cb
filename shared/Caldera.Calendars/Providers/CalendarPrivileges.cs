namespace Caldera.Calendars.Providers;

/// <summary>RFC 3744 privileges a principal holds on a calendar and its objects.</summary>
[Flags]
public enum CalendarPrivileges
{
    None = 0,
    Read = 1,
    WriteContent = 2,
    WriteProperties = 4,
    Bind = 8,
    Unbind = 16,
    ReadWrite = Read | WriteContent | Bind | Unbind,
    All = Read | WriteContent | WriteProperties | Bind | Unbind,
}
