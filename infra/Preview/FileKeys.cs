using ScalableBackend.Components.Compute;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// Which key of the environment file each component of its templates comes from (<c>QueueBilling</c> →
/// <c>queues.billing</c>, a service's own stack <c>Service-Api</c> → <c>services.api</c>), so reports speak the file's language.
/// </summary>
public static class FileKeys
{
    /// <summary>Component name (as <see cref="Components.Of"/> gives it) → file key, for a synthesized environment.</summary>
    public static IReadOnlyDictionary<string, string> Of(SynthesizedEnvironment environment)
    {
        var config = environment.Definition.Config;
        var keys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LoadBalancer"] = "loadBalancer",
            ["Cache"] = "cache",
            ["Database"] = "database",
            ["Events"] = "events",
            ["RabbitMq"] = "brokers.rabbitmq",
            ["Kafka"] = "brokers.kafka",
            ["Api"] = "api",
            ["Firewall"] = "firewall",
            ["Users"] = "auth",
            ["Logging"] = "observability.logging",
            ["Monitoring"] = "observability",
            ["Network"] = "network",
        };
        foreach (var key in config.Services.Keys)
            keys[$"Service{WebService.ToPascal(key)}"] = $"services.{key}";
        foreach (var key in config.Workers?.Keys ?? [])
            keys[$"Worker{WebService.ToPascal(key)}"] = $"workers.{key}";
        foreach (var key in config.Queues?.Keys ?? [])
            keys[$"Queue{WebService.ToPascal(key)}"] = $"queues.{key}";
        foreach (var stack in environment.Stacks)
            if (stack.Key is { } key && Components.OwnStack(stack.StackName) is { } component)
                keys[component] = stack.Role == StackRole.Worker ? $"workers.{key}" : $"services.{key}";
        return keys;
    }
}
