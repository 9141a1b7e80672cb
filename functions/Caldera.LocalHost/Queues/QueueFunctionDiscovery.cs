using System.Reflection;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.LocalHost.Queues;

/// <summary>
/// Finds the queue-triggered functions from their own attributes (no second list): every public method with
/// <c>[Function]</c> that has a <c>[QueueTrigger]</c> parameter. Everything the host would refuse to index, and
/// everything the local host cannot bind, fails here, at start-up, naming the function.
/// </summary>
public static class QueueFunctionDiscovery
{
    public static IReadOnlyList<QueueFunction> Discover(Assembly assembly, IConfiguration configuration) =>
        Discover(assembly.GetTypes(), configuration);

    /// <summary>Reads the given classes only (tests point this at test-only function classes).</summary>
    public static IReadOnlyList<QueueFunction> Discover(IEnumerable<Type> types, IConfiguration configuration)
    {
        var found = new List<QueueFunction>();
        foreach (var type in types)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                    continue;
                var triggers = method.GetParameters()
                    .Select(p => (Parameter: p, Trigger: p.GetCustomAttribute<QueueTriggerAttribute>()))
                    .Where(x => x.Trigger is not null)
                    .ToList();
                if (triggers.Count == 0)
                    continue; // HTTP functions are FunctionEndpointMapper's
                if (triggers.Count > 1)
                    throw new NotSupportedException($"Function {function.Name}: more than one [QueueTrigger] parameter.");
                found.Add(Describe(function.Name, type, method, triggers[0].Trigger!, configuration));
            }
        }
        var duplicate = found.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"More than one function is named '{duplicate.Key}'.");
        return [.. found.OrderBy(f => f.Name, StringComparer.OrdinalIgnoreCase)];
    }

    static QueueFunction Describe(string name, Type type, MethodInfo method, QueueTriggerAttribute trigger, IConfiguration configuration)
    {
        var arguments = method.GetParameters().Select(p => Bind(name, p)).ToList();
        CheckReturnType(name, method);
        // The host resolves %settings%, lower-cases the result ("coerce here to be nice") and validates it.
        var queueName = AppSettingResolver.Resolve(trigger.QueueName ?? "", configuration, name).ToLowerInvariant();
        if (!IsValidQueueName(queueName))
            throw new InvalidOperationException(
                $"Function {name}: '{queueName}' (from '{trigger.QueueName}') is not a valid queue name: " +
                "3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.");
        return new QueueFunction(name, queueName, trigger.Connection ?? "", type, method, arguments)
        {
            ConnectionString = StorageConnectionResolver.Resolve(trigger.Connection, configuration, name),
        };
    }

    static QueueArgument Bind(string function, ParameterInfo p)
    {
        var isTrigger = p.GetCustomAttribute<QueueTriggerAttribute>() is not null;
        var t = p.ParameterType;
        if (!isTrigger)
        {
            return t == typeof(CancellationToken)
                ? QueueArgument.Cancellation
                : throw new NotSupportedException(
                    $"Function {function}: parameter '{p.Name}' of type {t.Name} cannot be bound by the local host; " +
                    "besides the [QueueTrigger] parameter a queue function may only take a CancellationToken.");
        }
        if (t == typeof(QueueMessage)) return QueueArgument.Message;
        if (t == typeof(string)) return QueueArgument.Text;
        if (t == typeof(BinaryData)) return QueueArgument.Binary;
        if (t == typeof(byte[])) return QueueArgument.Bytes;
        throw new NotSupportedException(
            $"Function {function}: the [QueueTrigger] parameter '{p.Name}' has type {t.Name}, which the local host does not bind; " +
            "use QueueMessage, string, BinaryData or byte[].");
    }

    // Output bindings (a returned value) are not served here, so only "no result" shapes are accepted.
    static void CheckReturnType(string function, MethodInfo method)
    {
        var r = method.ReturnType;
        if (r != typeof(void) && r != typeof(Task) && r != typeof(ValueTask))
            throw new NotSupportedException($"Function {function}: return type {r.Name} is not void, Task or ValueTask (output bindings are not served by the local host).");
    }

    /// <summary>Storage's queue name rules.</summary>
    public static bool IsValidQueueName(string name) =>
        name.Length is >= 3 and <= 63 &&
        char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]) &&
        !name.Contains("--", StringComparison.Ordinal) &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
