using Caldera.Functions;
using Caldera.Functions.Observability;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// The Functions app as the Azure Functions host runs it. The local host (functions/Caldera.LocalHost)
// serves the same function classes on Kestrel and composes services through the same CalderaServices.AddCaldera.
var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();
// After the ASP.NET Core integration's own middleware, so it sees the HttpContext and wraps the function.
builder.UseMiddleware<RequestLoggingWorkerMiddleware>();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
// The Application Insights SDK adds a rule that keeps only Warning and above from the worker; drop it so the
// per-request Information entries (RequestLogger) reach Application Insights. host.json levels still apply host-side.
builder.Services.Configure<LoggerFilterOptions>(options =>
{
    var rule = options.Rules.FirstOrDefault(r =>
        r.ProviderName == "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider");
    if (rule is not null)
        options.Rules.Remove(rule);
});

CalderaServices.AddCaldera(builder.Services, builder.Configuration);

builder.Build().Run();
