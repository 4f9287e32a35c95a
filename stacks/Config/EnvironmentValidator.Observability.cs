using ScalableBackend.Components.Observability;

namespace ScalableBackend.Stacks.Config;

public static partial class EnvironmentValidator
{
    /// <summary>Checks the <c>observability</c> section: the components' own rules, and zone-aware search in every highly available environment.</summary>
    private static void ValidateObservability(string name, string file, EnvironmentConfig config)
    {
        if (config.Observability is not { } o) return;
        Mapped(file, "observability", () => Monitoring.Validate(o));
        if (o.Sampling is { } sampling)
            Mapped(file, "observability.sampling", () => TraceSampling.Validate(sampling));
        if (o.Logging is not { } logging) return;
        Mapped(file, "observability.logging", () => CentralLogging.Validate(logging));
        if (logging.Search is not { } search) return;

        var zones = config.Network.AvailabilityZones.Count;
        if (HighlyAvailable.Contains(name) && search.ZoneAwareness != true)
            throw new ConfigException(file, "observability.logging.search.zoneAwareness", $"must be true in {name}: the search domain must survive a zone failure");
        var count = search.InstanceCount ?? 2;
        if (search.ZoneAwareness == true && !(count % 2 == 0 || (count % 3 == 0 && zones >= 3)))
            throw new ConfigException(file, "observability.logging.search.instanceCount", $"= {count} must be a multiple of 2 (or of 3 with 3 zones) to spread over the {zones} zones");
    }
}
