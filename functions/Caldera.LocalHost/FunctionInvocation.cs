using System.Reflection;

namespace Caldera.LocalHost;

/// <summary>
/// Calls a non-HTTP function method once, as the isolated worker does: a DI scope per invocation, a new instance of
/// the class from it (constructor injection), awaited, then disposed. Queue and timer triggers share it. The
/// function's exception is the caller's failure signal, so it is not caught here.
/// </summary>
public static class FunctionInvocation
{
    public static async Task InvokeAsync(IServiceProvider services, MethodInfo method, Type declaringType, Func<object?[]> arguments)
    {
        await using var scope = services.CreateAsyncScope();
        object? instance = null;
        try
        {
            if (!method.IsStatic)
                instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, declaringType);
            switch (method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments(), null))
            {
                case Task task: await task; break;
                case ValueTask valueTask: await valueTask; break;
            }
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable ad: await ad.DisposeAsync(); break;
                case IDisposable d: d.Dispose(); break;
            }
        }
    }
}
