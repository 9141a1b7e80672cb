namespace Caldera.LocalHost.Queues;

public static class QueueFunctionsServiceCollectionExtensions
{
    /// <summary>One <see cref="QueueFunctionPump"/> hosted service per function, all with the same settings (as host.json's are).</summary>
    public static IServiceCollection AddQueueFunctionPumps(this IServiceCollection services, IEnumerable<QueueFunction> functions, QueueSettings settings)
    {
        settings.Validate();
        foreach (var function in functions)
            services.AddSingleton<IHostedService>(sp => new QueueFunctionPump(
                function, settings, sp, sp.GetRequiredService<ILogger<QueueFunctionPump>>()));
        return services;
    }
}
