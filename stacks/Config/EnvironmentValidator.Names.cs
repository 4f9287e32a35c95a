namespace ScalableBackend.Stacks.Config;

public static partial class EnvironmentValidator
{
    /// <summary>
    /// Keys become construct ids, stack names and export names through <see cref="StackNames.Pascal"/>, which drops
    /// dashes: two keys of one section that differ only there (<c>api2</c>, <c>api-2</c>) would name the same thing.
    /// Services and workers share one name space, as they do everywhere else in the file.
    /// </summary>
    private static void ValidateNames(string file, EnvironmentConfig config)
    {
        static IEnumerable<(string Section, string Key)> Keyed<T>(string section, IReadOnlyDictionary<string, T>? map) =>
            (map?.Keys ?? []).Select(k => (section, k));

        var groups = new[]
        {
            Keyed("services", config.Services).Concat(Keyed("workers", config.Workers)),
            Keyed("queues", config.Queues),
            Keyed("events", config.Events),
            Keyed("database.shards", config.Database?.Shards),
            Keyed("api.routes", config.Api?.Routes),
            Keyed("api.tiers", config.Api?.Tiers),
            Keyed("auth.clients", config.Auth?.Clients),
        };
        foreach (var group in groups)
        {
            var seen = new Dictionary<string, (string Section, string Key)>(StringComparer.Ordinal);
            foreach (var (section, key) in group.OrderBy(e => e.Section, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal))
            {
                var id = StackNames.Pascal(key);
                if (seen.TryGetValue(id, out var first))
                    throw new ConfigException(file, $"{section}.{key}",
                        $"becomes the name {id}, as {first.Section}.{first.Key} does; keys must differ in more than dashes");
                seen[id] = (section, key);
            }
        }
    }
}
