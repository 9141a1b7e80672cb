using Caldera.LocalHost;

var parsed = LocalServerOptions.Parse(args);
if (parsed.ShowHelp)
{
    Console.WriteLine(LocalServerOptions.HelpText);
    return 0;
}
if (parsed.Options is null)
{
    Console.Error.WriteLine($"error: {parsed.Error}");
    Console.Error.WriteLine("Use --help for the options.");
    return 2;
}

var options = parsed.Options;
options.HandleConsoleSignals = true;

RunningServer server;
// Ctrl+C / SIGTERM while starting: cancel the start (which stops an Azurite already started) instead of dying.
using var startCancel = new CancellationTokenSource();
var startSignals = new[] { System.Runtime.InteropServices.PosixSignal.SIGINT, System.Runtime.InteropServices.PosixSignal.SIGTERM }
    .Select(signal => System.Runtime.InteropServices.PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        startCancel.Cancel();
    }))
    .ToList();
try
{
    server = await CalderaLocalServer.StartAsync(options, startCancel.Token);
}
catch (OperationCanceledException) when (startCancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Start cancelled.");
    return 130;
}
catch (Exception e)
{
    // Everything started so far (Kestrel, Azurite) has been stopped by StartAsync.
    Console.Error.WriteLine($"error: could not start Caldera: {e.Message}");
    if (options.LogLevel <= Microsoft.Extensions.Logging.LogLevel.Information)
        Console.Error.WriteLine(e);
    return 1;
}
finally
{
    // From here on the host's console lifetime handles Ctrl+C / SIGTERM.
    startSignals.ForEach(r => r.Dispose());
}

await using (server)
{
    var stdout = Console.Out;
    stdout.WriteLine("Caldera local host");
    stdout.WriteLine($"  URL:          {server.BaseUri}");
    stdout.WriteLine($"  Web page:     {new Uri(server.BaseUri, Caldera.Web.WebRoutes.BasePath)}   (sign in with the user name and an app password)");
    stdout.WriteLine($"  Admin page:   {new Uri(server.BaseUri, Caldera.Web.WebRoutes.BasePath + "admin")}   (the function key below)");
    stdout.WriteLine($"  Storage:      {server.StorageDescription}");
    if (server.User is { } user)
    {
        var what = user.UserCreated ? "created now"
            : user.PasswordLabel is not null ? $"exists; app password '{user.PasswordLabel}' added"
            : "exists";
        stdout.WriteLine($"  User:         {user.UserName} ({what})");
        if (user.Password is not null && user.PasswordLabel is not null)
            stdout.WriteLine($"  Password:     {user.Password}   (app password '{user.PasswordLabel}'; shown once, keep it)");
        else if (user.Password is null)
            stdout.WriteLine("  Password:     (not shown: use an existing app password, or add one with Caldera.Admin)");
    }
    stdout.WriteLine($"  Function key: {server.FunctionKey}   (management API: x-functions-key header or ?code=)");
    foreach (var queueFunction in server.QueueFunctions)
        stdout.WriteLine($"  Queue:        {queueFunction.QueueName} -> {queueFunction.Name} (poison: {queueFunction.PoisonQueueName ?? "none"})");
    stdout.WriteLine($"  Outbound mail: {server.OutboundMail}");
    stdout.WriteLine($"CALDERA_URL={server.BaseUri}");
    stdout.WriteLine($"CALDERA_WEB_URL={new Uri(server.BaseUri, Caldera.Web.WebRoutes.BasePath)}");
    if (server.User is { } u)
    {
        stdout.WriteLine($"CALDERA_USER={u.UserName}");
        if (u.Password is not null)
            stdout.WriteLine($"CALDERA_PASSWORD={u.Password}");
    }
    stdout.WriteLine($"CALDERA_FUNCTION_KEY={server.FunctionKey}");
    stdout.WriteLine("Press Ctrl+C to stop.");
    stdout.Flush();

    await server.WaitForShutdownAsync();
    Console.Error.WriteLine("Stopping Caldera…");
}
return 0;
