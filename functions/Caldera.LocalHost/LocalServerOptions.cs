using System.Collections;
using System.Globalization;

namespace Caldera.LocalHost;

/// <summary>Options of the local host; <see cref="Parse"/> reads the command line over CALDERA_* environment variables.</summary>
public sealed class LocalServerOptions
{
    public const int DefaultPort = 7070;
    public const string DefaultUser = "caldera";
    public static readonly string DefaultDataFolder = Path.Combine(".caldera", "azurite");

    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Azurite data folder (when Azurite is started and not in memory). Null means <see cref="DefaultDataFolder"/> under the current directory.</summary>
    public string? DataFolder { get; set; }

    /// <summary>Runs Azurite in memory (nothing kept on exit).</summary>
    public bool InMemory { get; set; }

    /// <summary>A storage connection string; when set no Azurite is started.</summary>
    public string? Storage { get; set; }

    /// <summary>Prefix of table and container names (config key Caldera:StoragePrefix).</summary>
    public string StoragePrefix { get; set; } = "caldera";

    /// <summary>The user ensured at start; null ensures none.</summary>
    public string? User { get; set; } = DefaultUser;

    /// <summary>An app password for <see cref="User"/>; null makes a random one when the user is created.</summary>
    public string? Password { get; set; }

    /// <summary>The key for non-anonymous functions; null generates one.</summary>
    public string? FunctionKey { get; set; }

    /// <summary>Start the host's own Azurite again when it dies (same ports and data); tests of the outage turn it off.</summary>
    public bool RestartAzurite { get; set; } = true;

    /// <summary>Stop on Ctrl+C / SIGTERM (the command line); in-process users (tests) leave it off.</summary>
    public bool HandleConsoleSignals { get; set; }

    /// <summary>Minimum level of the console log (written to stderr so stdout stays machine-readable).</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; set; } = Microsoft.Extensions.Logging.LogLevel.Warning;

    /// <summary>Extra configuration entries (e.g. "Caldera:Subscriptions:AllowPrivateAddresses" = "true"), added after the host's own.</summary>
    public IDictionary<string, string?>? Configuration { get; set; }

    /// <summary>Extra service registrations applied after Caldera's (tests can replace services here).</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>
    /// Queue trigger settings used instead of host.json's <c>extensions.queues</c>; null reads host.json (next to the
    /// Functions assembly). Tests shorten the intervals here, e.g.
    /// <c>QueueSettings.Default with { MaxPollingInterval = TimeSpan.FromMilliseconds(200), MaxDequeueCount = 3 }</c>.
    /// </summary>
    public Queues.QueueSettings? Queues { get; set; }

    /// <summary>
    /// The classes whose queue-triggered functions are run, instead of those of the Functions assembly; null means the
    /// Functions assembly (tests point this at test-only function classes).
    /// </summary>
    public IReadOnlyList<Type>? QueueFunctionTypes { get; set; }

    public const string HelpText = """
        Caldera local host: serves the Caldera Functions app on Kestrel (127.0.0.1 only), with Azurite.

        Usage: dotnet run --project functions/Caldera.LocalHost -- [options]

        Options (each has an environment variable; the command line wins):
          --port N               CALDERA_PORT          TCP port on 127.0.0.1 (default 7070; 0 = pick a free port)
          --data DIR             CALDERA_DATA          Azurite data folder (default .caldera/azurite under the current directory)
          --in-memory            CALDERA_IN_MEMORY=1   run Azurite in memory instead (nothing is kept)
          --storage CONN         CALDERA_STORAGE       use this storage connection string; no Azurite is started
          --user NAME            CALDERA_USER          user created on first run (default caldera)
          --password PW          CALDERA_PASSWORD      app password for that user (default: a random one on first run;
                                                       added as another app password if the user exists without it)
          --function-key K       CALDERA_FUNCTION_KEY  key for the management API (default: a random one per run)
          --verbose                                    log at Information level (logs go to stderr)
          -h, --help                                   show this help

        On start it prints, besides human-readable lines, these lines for scripts:
          CALDERA_URL=http://127.0.0.1:<port>/
          CALDERA_WEB_URL=http://127.0.0.1:<port>/web/   (the web page; the admin page is /web/admin)
          CALDERA_USER=<name>
          CALDERA_PASSWORD=<password>      (only when created or given this run)
          CALDERA_FUNCTION_KEY=<key>
        Management API: x-functions-key header or ?code= with the function key; see functions/Caldera.Admin.

        Outbound invitation emails use the app's own settings, read from the environment as in Azure:
          Caldera__Smtp__Host, __Port, __Security (None|StartTls|SslOnConnect|Auto), __UserName, __Password,
          __From, __SenderDomains. Without Caldera__Smtp__Host they are kept with status held (never lost);
          the start prints where outbound mail goes.
        """;

    /// <summary>The app settings (environment variables, as in Azure) the local host passes through to the app.</summary>
    public static readonly IReadOnlyList<string> PassThroughSettings =
        ["Host", "Port", "Security", "UserName", "Password", "From", "SenderDomains"];

    public sealed record ParseResult(LocalServerOptions? Options, bool ShowHelp, string? Error);

    public static ParseResult Parse(IReadOnlyList<string> args, IDictionary? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables();
        string? Env(string name) => environment[name] is string s && s.Length > 0 ? s : null;

        var o = new LocalServerOptions();
        if (Env("CALDERA_PORT") is { } envPort)
        {
            if (!TryPort(envPort, out var envPortNumber))
                return new(null, false, $"CALDERA_PORT '{envPort}' is not a port number (0-65535).");
            o.Port = envPortNumber;
        }
        o.DataFolder = Env("CALDERA_DATA");
        o.InMemory = Env("CALDERA_IN_MEMORY") is "1" or "true" or "True" or "yes";
        o.Storage = Env("CALDERA_STORAGE");
        o.User = Env("CALDERA_USER") ?? DefaultUser;
        o.Password = Env("CALDERA_PASSWORD");
        o.FunctionKey = Env("CALDERA_FUNCTION_KEY");
        // SMTP for outbound iMIP: the app setting names (Caldera__Smtp__Host, …), so one set of names works everywhere.
        foreach (var name in PassThroughSettings)
            if (Env($"Caldera__Smtp__{name}") is { } value)
                (o.Configuration ??= new Dictionary<string, string?>())[$"Caldera:Smtp:{name}"] = value;

        bool dataOnCommandLine = false, inMemoryOnCommandLine = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 >= args.Count)
                    return null;
                return args[++i];
            }
            switch (arg)
            {
                case "-h" or "--help" or "-?":
                    return new(null, true, null);
                case "--port":
                    if (Value() is not { } port || !TryPort(port, out var p))
                        return new(null, false, "--port needs a port number (0-65535).");
                    o.Port = p;
                    break;
                case "--data":
                    if (Value() is not { Length: > 0 } data)
                        return new(null, false, "--data needs a folder.");
                    o.DataFolder = data;
                    dataOnCommandLine = true;
                    break;
                case "--in-memory":
                    o.InMemory = true;
                    inMemoryOnCommandLine = true;
                    break;
                case "--storage":
                    if (Value() is not { Length: > 0 } storage)
                        return new(null, false, "--storage needs a connection string.");
                    o.Storage = storage;
                    break;
                case "--user":
                    if (Value() is not { Length: > 0 } user)
                        return new(null, false, "--user needs a name.");
                    o.User = user;
                    break;
                case "--password":
                    if (Value() is not { Length: > 0 } password)
                        return new(null, false, "--password needs a value.");
                    o.Password = password;
                    break;
                case "--function-key":
                    if (Value() is not { Length: > 0 } key)
                        return new(null, false, "--function-key needs a value.");
                    o.FunctionKey = key;
                    break;
                case "--verbose" or "-v":
                    o.LogLevel = Microsoft.Extensions.Logging.LogLevel.Information;
                    break;
                default:
                    return new(null, false, $"Unknown option '{arg}'. Use --help.");
            }
        }
        if (dataOnCommandLine && inMemoryOnCommandLine)
            return new(null, false, "--data and --in-memory exclude each other.");
        if (dataOnCommandLine)
            o.InMemory = false;
        return new(o, false, null);
    }

    static bool TryPort(string s, out int port) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
}
