using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Caldera.LocalHost;

/// <summary>One HTTP-triggered function as read from its <c>[Function]</c> and <c>[HttpTrigger]</c> attributes.</summary>
public sealed record HttpFunction(
    string Name,
    string Route,
    IReadOnlyList<string>? Methods,
    AuthorizationLevel AuthLevel,
    Type DeclaringType,
    MethodInfo Method)
{
    /// <summary>True when the function takes any verb (no methods in its trigger), as in the host.</summary>
    public bool AllMethods => Methods is null || Methods.Count == 0;

    public bool RequiresKey => AuthLevel != AuthorizationLevel.Anonymous;

    public override string ToString() =>
        $"{Name}: {(AllMethods ? "[all]" : string.Join(",", Methods!))} /{Route} ({AuthLevel})";
}
