using ScalableBackend.Components.Compute;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// The one place where names are made: an environment's stacks (<c>Backend-&lt;Env&gt;-Platform</c>, <c>-Data</c>,
/// <c>-Edge</c>, <c>-Service-&lt;Pascal&gt;</c>, <c>-Worker-&lt;Pascal&gt;</c>, <c>-Operations</c>, where
/// <c>&lt;Env&gt;</c> is <c>Dev</c>, <c>Staging</c> or <c>Prod</c>), their templates, the exports one stack publishes
/// for the others (<c>&lt;StackName&gt;:&lt;Name&gt;</c>) and the PascalCase construct ids of file keys.
/// </summary>
public static class StackNames
{
    /// <summary>The prefix every stack of environment <paramref name="environment"/> starts with: <c>Backend-Prod</c>.</summary>
    public static string EnvironmentPrefix(string environment) =>
        "Backend-" + char.ToUpperInvariant(environment[0]) + environment[1..];

    /// <summary>The template file name of stack <paramref name="stackName"/>.</summary>
    public static string TemplateFileName(string stackName) => $"{stackName}.template.json";

    /// <summary>A file key as it appears in construct ids and stack names: <c>order-placed</c> → <c>OrderPlaced</c>.</summary>
    public static string Pascal(string key) => WebService.ToPascal(key);

    /// <summary>The name of the stack of role <paramref name="role"/> (and <paramref name="key"/> for services and workers).</summary>
    public static string Of(string environment, StackRole role, string? key = null) => role switch
    {
        StackRole.Service => $"{EnvironmentPrefix(environment)}-Service-{Pascal(key ?? throw new ArgumentNullException(nameof(key)))}",
        StackRole.Worker => $"{EnvironmentPrefix(environment)}-Worker-{Pascal(key ?? throw new ArgumentNullException(nameof(key)))}",
        _ => $"{EnvironmentPrefix(environment)}-{role}",
    };

    /// <summary>
    /// The name under which stack <paramref name="stackName"/> exports the value <paramref name="name"/>:
    /// <c>Backend-Prod-Data:QueueBillingUrl</c>. Producers export what any consumer may need whether or not one
    /// exists; consumers read it with <c>Fn::ImportValue</c>.
    /// </summary>
    public static string Export(string stackName, string name) => $"{stackName}:{name}";

    /// <summary>The stacks <paramref name="definition"/> synthesizes into, in deployment order.</summary>
    public static IReadOnlyList<StackIdentity> Of(EnvironmentDefinition definition)
    {
        var env = definition.Name;
        var config = definition.Config;
        var stacks = new List<StackIdentity> { new(Of(env, StackRole.Platform), StackRole.Platform, null) };
        // A template needs at least one resource: an environment without stores has no data stack.
        if (HasData(config))
            stacks.Add(new(Of(env, StackRole.Data), StackRole.Data, null));
        stacks.Add(new(Of(env, StackRole.Edge), StackRole.Edge, null));
        stacks.AddRange(config.Services.Keys.Order(StringComparer.Ordinal)
            .Select(k => new StackIdentity(Of(env, StackRole.Service, k), StackRole.Service, k)));
        stacks.AddRange((config.Workers?.Keys ?? []).Order(StringComparer.Ordinal)
            .Select(k => new StackIdentity(Of(env, StackRole.Worker, k), StackRole.Worker, k)));
        stacks.Add(new StackIdentity(Of(env, StackRole.Operations), StackRole.Operations, null));
        return stacks;
    }

    /// <summary>Whether <paramref name="config"/> declares any store (cache, database, queue, event or broker), so has a data stack.</summary>
    public static bool HasData(EnvironmentConfig config) =>
        config.Cache is not null || config.Database is not null || config.Queues is { Count: > 0 } || config.Events is { Count: > 0 }
        || config.Brokers?.Rabbitmq is not null || config.Brokers?.Kafka is not null;
}
