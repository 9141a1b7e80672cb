using System.Globalization;
using System.Text.RegularExpressions;

namespace Caldera.Storage.Emulator;

/// <summary>
/// What one Azurite process prints: its last lines (for the error when it does not start) and the ports its services
/// say they listen on. Only those ports are trusted, so another process's listener never passes for Azurite.
/// </summary>
internal sealed partial class AzuriteOutput
{
    const int KeptLines = 40;
    readonly Queue<string> _lines = new();
    readonly Dictionary<string, int> _ports = [];
    readonly TaskCompletionSource<AzuritePorts> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once Blob, Queue and Table have each reported the port they listen on.</summary>
    public Task<AzuritePorts> Listening => _listening.Task;

    public void Add(string? line, bool fromStandardError)
    {
        if (line is null)
            return;
        lock (_lines)
        {
            _lines.Enqueue(fromStandardError ? "[stderr] " + line : line);
            if (_lines.Count > KeptLines)
                _lines.Dequeue();
            var match = ListeningLine().Match(line);
            if (!match.Success)
                return;
            _ports[match.Groups["service"].Value] = int.Parse(match.Groups["port"].Value, CultureInfo.InvariantCulture);
            if (_ports.Count == 3)
                _listening.TrySetResult(new AzuritePorts(_ports["Blob"], _ports["Queue"], _ports["Table"]));
        }
    }

    /// <summary>The kept lines, indented for an error message.</summary>
    public string Tail()
    {
        lock (_lines)
            return _lines.Count == 0 ? "    (no output)" : string.Join('\n', _lines.Select(l => "    " + l));
    }

    // Printed by azurite.js once a service is bound, also with --silent; with port 0 it carries the port bound.
    [GeneratedRegex(@"^Azurite (?<service>Blob|Queue|Table) service is successfully listening at https?://\S+:(?<port>\d+)\s*$")]
    private static partial Regex ListeningLine();
}
