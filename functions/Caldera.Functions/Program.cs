using Caldera.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The Functions app as the Azure Functions host runs it. The local host (functions/Caldera.LocalHost)
// serves the same function classes on Kestrel and composes services through the same CalderaServices.AddCaldera.
var builder = FunctionsApplication.CreateBuilder(args);

builder.ConfigureFunctionsWebApplication();

builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();

CalderaServices.AddCaldera(builder.Services, builder.Configuration);

builder.Build().Run();
