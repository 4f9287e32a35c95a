using Constructs;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// One environment's stack set, as built: each tier is built by its own stack from the definition and the exports of
/// the tiers below it (never from another stack's objects), and the dependencies say the deployment order.
/// </summary>
/// <param name="Definition">The environment.</param>
/// <param name="Platform">The platform stack.</param>
/// <param name="Data">The data stack; null when the file declares no store (a template needs a resource).</param>
/// <param name="Edge">The edge stack.</param>
/// <param name="Services">One stack per service, keyed by the service's file key.</param>
/// <param name="Workers">One stack per worker, keyed by the worker's file key.</param>
/// <param name="Operations">The operations stack.</param>
public sealed record BackendEnvironment(
    EnvironmentDefinition Definition,
    PlatformStack Platform,
    DataStack? Data,
    EdgeStack Edge,
    IReadOnlyDictionary<string, ServiceStack> Services,
    IReadOnlyDictionary<string, WorkerStack> Workers,
    OperationsStack Operations)
{
    /// <summary>Every stack, in deployment order (the order of <see cref="EnvironmentDefinition.Stacks"/>).</summary>
    public IReadOnlyList<EnvironmentStack> Stacks =>
        [Platform, ..(Data is null ? Array.Empty<EnvironmentStack>() : [Data]), Edge,
         ..Services.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (EnvironmentStack)kv.Value),
         ..Workers.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (EnvironmentStack)kv.Value),
         Operations];

    /// <summary>Builds every stack of <paramref name="definition"/> in <paramref name="scope"/> (an app), with their dependencies.</summary>
    public static BackendEnvironment Build(Construct scope, EnvironmentDefinition definition)
    {
        var platform = new PlatformStack(scope, definition);
        DataStack? data = null;
        if (StackNames.HasData(definition.Config))
        {
            data = new DataStack(scope, definition);
            data.AddDependency(platform, "imports the network and the log key");
        }
        var edge = new EdgeStack(scope, definition);
        edge.AddDependency(platform, "imports the network and the log key");

        var services = new Dictionary<string, ServiceStack>();
        foreach (var key in definition.Config.Services.Keys.Order(StringComparer.Ordinal))
        {
            var service = services[key] = new ServiceStack(scope, definition, key);
            service.AddDependency(platform, "imports the network, the log key, the log pipeline and the alarm topic");
            if (data is not null)
                service.AddDependency(data, "grants itself access to the stores");
            service.AddDependency(edge, "attaches to the listener");
        }
        var workers = new Dictionary<string, WorkerStack>();
        foreach (var key in (definition.Config.Workers?.Keys ?? []).Order(StringComparer.Ordinal))
        {
            var worker = workers[key] = new WorkerStack(scope, definition, key);
            worker.AddDependency(platform, "imports the network, the log key, the log pipeline and the alarm topic");
            worker.AddDependency(data!, "consumes its queue and grants itself access to the stores"); // a worker has a queue
            worker.AddDependency(edge, "may call internal API routes");
        }

        var operations = new OperationsStack(scope, definition);
        foreach (var stack in new EnvironmentStack?[] { platform, data, edge }.OfType<EnvironmentStack>().Concat(services.Values).Concat(workers.Values))
            operations.AddDependency(stack, "draws the dashboard from every stack's exports");
        return new BackendEnvironment(definition, platform, data, edge, services, workers, operations);
    }
}
