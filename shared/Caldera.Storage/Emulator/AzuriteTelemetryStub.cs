using System.Text;

namespace Caldera.Storage.Emulator;

/// <summary>
/// A node preload that answers Azurite's <c>require("applicationinsights")</c> with an empty object. Azurite 3.37 loads
/// that SDK at start even with --disableTelemetry (which is always passed here, so it is never used), and loading it
/// is about two thirds of a start's CPU: 3.5 s → 1.2 s, which matters when a 2-core machine starts many at once.
/// Should a later Azurite use it despite --disableTelemetry, the start fails at once with node's error in the message.
/// </summary>
internal static class AzuriteTelemetryStub
{
    const string Source =
        "import module from 'node:module';" +
        "const load = module._load;" +
        "module._load = function (request, ...rest) { return request === 'applicationinsights' ? {} : load.call(this, request, ...rest); };";

    /// <summary>For node's --import: base64, since a plain data: URL would end at the first '?' or '#'.</summary>
    public static readonly string ImportUrl = "data:text/javascript;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(Source));

    /// <summary>The command as an error message shows it, the preload named rather than spelled out.</summary>
    public static string Describe(IEnumerable<string> arguments) =>
        "node " + string.Join(' ', arguments.Select(a => a == ImportUrl ? "<telemetry stub>" : a));
}
