namespace Caldera.Imip.Mime;

/// <summary>The stable refusal codes of <see cref="ImipMailReader"/>.</summary>
public static class ImipRefusalCodes
{
    public const string TooLarge = "too-large";
    public const string TooDeep = "too-deep";
    public const string TooManyParts = "too-many-parts";
    public const string NotMime = "not-mime";
    public const string NoFrom = "no-from";
    public const string NotCalendar = "not-calendar";
    public const string NoMethod = "no-method";
    public const string ConflictingParts = "conflicting-parts";
    public const string BrokenEncoding = "broken-encoding";
    public const string CalendarTooLarge = "calendar-too-large";
}
