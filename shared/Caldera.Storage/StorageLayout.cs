namespace Caldera.Storage;

/// <summary>
/// Names of the tables and the container, all prefixed so that test runs (and deployments) sharing
/// one account stay apart. Other libraries may take their own names from <see cref="Name"/>.
/// </summary>
public sealed class StorageLayout
{
    public const string DefaultPrefix = "caldera";

    public StorageLayout(string prefix = DefaultPrefix)
    {
        if (!IsValidPrefix(prefix))
            throw new ArgumentException(
                $"Storage prefix '{prefix}' is invalid: 1-40 lower-case letters and digits, starting with a letter.", nameof(prefix));
        Prefix = prefix;
    }

    public string Prefix { get; }
    public string UsersTable => Name("users");
    public string CalendarsTable => Name("calendars");
    public string ObjectsContainer => Name("objects");
    /// <summary>Which calendar provider serves whom (see Registry/).</summary>
    public string ProvidersTable => Name("providers");
    /// <summary>Last good copies of subscribed .ics feeds.</summary>
    public string FeedsContainer => Name("feeds");
    /// <summary>Calendars shared between users (see Sharing/).</summary>
    public string SharesTable => Name("shares");

    /// <summary>A prefixed table, container or queue name.</summary>
    public string Name(string suffix) => Prefix + suffix;

    // Table names must be alphanumeric and start with a letter; containers and queues accept that subset too.
    public static bool IsValidPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix) && prefix.Length <= 40 && char.IsAsciiLetterLower(prefix[0]) &&
        prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
