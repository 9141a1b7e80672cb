namespace Caldera.Storage;

/// <summary>Rules for names that come from URLs: what a user, calendar or object name may be.</summary>
public static class Names
{
    public const int MaxUserName = 64;
    public const int MaxCalendarName = 64;
    public const int MaxObjectName = 200;

    /// <summary>User names: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    public static bool IsValidUserName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxUserName && char.IsAsciiLetterOrDigit(name[0]) &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-');

    /// <summary>Calendar and object names: no control characters, no '/', '\', not "." or "..", bounded length.</summary>
    public static bool IsValidSegment(string? name, int maxLength) =>
        !string.IsNullOrEmpty(name) && name.Length <= maxLength && name is not "." and not ".." &&
        !name.Any(c => char.IsControl(c) || c is '/' or '\\' || char.IsSurrogate(c) && !char.IsSurrogatePair(name, name.IndexOf(c)));
}
