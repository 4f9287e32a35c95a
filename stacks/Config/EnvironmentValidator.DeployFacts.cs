using ScalableBackend.Components.Facts;

namespace ScalableBackend.Stacks.Config;

public static partial class EnvironmentValidator
{
    /// <summary>
    /// Facts a deployment fails on that the file's shape cannot show, checked against the data in
    /// <c>components/Facts</c> (<see cref="AwsFacts"/>): the region and its zones; whether the region offers each
    /// instance type, node type and class; each EC2 type's architecture against the machine images the file pins;
    /// certificates from the environment's region; and listener rules that a higher-priority rule shadows. (What is
    /// about one component's settings alone — cron, time zones, scheduled bounds, engine versions, whether a type
    /// exists anywhere — the components check themselves.)
    /// </summary>
    private static void ValidateDeployFacts(string file, EnvironmentConfig config)
    {
        ConfigException Error(string path, string problem) => new(file, path, problem);
        var region = config.Region;

        if (!AwsFacts.IsRegion(region))
            throw Error("region", $"= {region} is not an AWS region{Hint(AwsFacts.DidYouMean(region, AwsFacts.Regions), $"; known regions: {string.Join(", ", AwsFacts.Regions)}")}");
        var zones = AwsFacts.ZonesOf(region);
        for (var i = 0; i < config.Network.AvailabilityZones.Count; i++)
            if (config.Network.AvailabilityZones[i] is var zone && !zones.Contains(zone))
                throw Error($"network.availabilityZones[{i}]", $"= {zone} is not an availability zone of {region}; its zones are {string.Join(", ", zones)}");

        void Offered(InstanceTypeCatalog catalog, string at, string type)
        {
            if (catalog.RegionProblem(type, region) is { } problem)
                throw Error(at, $"= {type} {problem}");
        }
        void Ec2(string at, IMemberConfig member)
        {
            Offered(AwsFacts.Ec2InstanceTypes, at, member.InstanceType);
            // The architecture picks the pinned machine image (Graviton → arm64).
            if (ArchitectureProblem(config, member, member.InstanceType, region) is { } problem)
                throw Error(at, $"= {member.InstanceType} {problem}");
        }
        foreach (var (name, service) in config.Services.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Ec2($"services.{name}.instanceType", service);
        foreach (var (name, worker) in (config.Workers ?? new Dictionary<string, WorkerConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Ec2($"workers.{name}.instanceType", worker);
        if (config.Cache is { } cache)
            Offered(AwsFacts.CacheNodeTypes, "cache.nodeType", cache.NodeType);
        if (config.Database is { } database)
            Offered(AwsFacts.RdsInstanceClasses, "database.instanceType", database.InstanceType);
        if (config.Brokers?.Rabbitmq is { } rabbit)
            Offered(AwsFacts.MqInstanceTypes, "brokers.rabbitmq.instanceType", rabbit.InstanceType);
        if (config.Observability?.Logging?.Search is { } search)
        {
            if (search.InstanceType is { } data)
                Offered(AwsFacts.OpenSearchInstanceTypes, "observability.logging.search.instanceType", data);
            if (search.MasterInstanceType is { } master)
                Offered(AwsFacts.OpenSearchInstanceTypes, "observability.logging.search.masterInstanceType", master);
        }

        if (config.LoadBalancer.CertificateArn is { } lbCertificate && RegionOfArn(lbCertificate) is { } lbRegion && lbRegion != region)
            throw Error("loadBalancer.certificateArn", $"= {lbCertificate} is a certificate in {lbRegion}, but the load balancer is in {region}: a load balancer takes only certificates from its own region");
        if (config.Api?.Domain?.CertificateArn is { } apiCertificate && RegionOfArn(apiCertificate) is { } apiRegion && apiRegion != region)
            throw Error("api.domain.certificateArn", $"= {apiCertificate} is a certificate in {apiRegion}, but the API's domain is REGIONAL in {region}: it takes only certificates from its own region");

        CheckShadowedRules(file, config);
    }

    private static string Hint(string didYouMean, string otherwise) => didYouMean.Length > 0 ? didYouMean : otherwise;

    /// <summary>The region field of an ARN (<c>arn:aws:acm:REGION:account:…</c>), or null.</summary>
    private static string? RegionOfArn(string arn) => arn.Split(':') is { Length: >= 6 } parts && parts[3].Length > 0 ? parts[3] : null;

    /// <summary>"; such as m7i.large": an x86_64 type of the same class and size the region offers, newest generation first (t4g → t3).</summary>
    private static string X86Alternative(string type, string region)
    {
        var dot = type.IndexOf('.');
        var family = dot > 0 ? type[..dot] : type;
        var size = type[(dot + 1)..];
        var letters = new string(family.TakeWhile(char.IsLetter).ToArray());
        var digits = new string(family[letters.Length..].TakeWhile(char.IsDigit).ToArray());
        if (letters.Length == 0 || !int.TryParse(digits, out var generation)) return "";
        var offered = AwsFacts.Ec2InstanceTypes.OfferedIn(region);
        for (var g = generation; g >= Math.Max(1, generation - 2); g--)
        {
            var stem = $"{letters}{g}";
            var match = offered
                .Where(t => t.EndsWith($".{size}", StringComparison.Ordinal) && AwsFacts.Ec2InstanceTypes.ArchitectureOf(t) == "x86_64"
                    && t[..t.IndexOf('.')] is var f && f.StartsWith(stem, StringComparison.Ordinal) && (f.Length == stem.Length || char.IsLetter(f[stem.Length])))
                .OrderBy(t => t[..t.IndexOf('.')] switch { var f when f == stem => 0, var f when f == stem + "i" => 1, var f when f == stem + "a" => 2, _ => 3 })
                .ThenBy(t => t, StringComparer.Ordinal)
                .FirstOrDefault();
            if (match is not null) return $" such as {match}";
        }
        return "";
    }

    /// <summary>
    /// A service's listener rule gets no traffic when every (host, path) it matches is matched first by rules of lower
    /// priority numbers: ALB evaluates rules in priority order and the first match wins.
    /// </summary>
    private static void CheckShadowedRules(string file, EnvironmentConfig config)
    {
        var rules = config.Services.Select(kv => (Name: kv.Key, kv.Value.Routing))
            .OrderBy(r => r.Routing.Priority).ToList();
        for (var i = 0; i < rules.Count; i++)
        {
            var (name, routing) = rules[i];
            var hosts = routing.HostHeaders is { Count: > 0 } h ? h : null;
            var paths = routing.PathPatterns is { Count: > 0 } p ? p : null;
            var shadowing = new SortedSet<string>(StringComparer.Ordinal);
            var covered = true;
            foreach (var host in hosts ?? ["*"])
                foreach (var path in paths ?? ["/*"])
                {
                    var by = rules.Take(i).FirstOrDefault(hi =>
                        Covers(hi.Routing.HostHeaders, host, ignoreCase: true) && Covers(hi.Routing.PathPatterns, path, ignoreCase: false));
                    if (by.Name is null) { covered = false; break; }
                    shadowing.Add(by.Name);
                }
            if (!covered || shadowing.Count == 0) continue;
            var what = $"{(hosts is null ? "any host" : $"hosts [{string.Join(", ", hosts)}]")}, {(paths is null ? "any path" : $"paths [{string.Join(", ", paths)}]")}";
            var others = string.Join(", ", shadowing.Select(s => $"services.{s} (priority {config.Services[s].Routing.Priority})"));
            throw new ConfigException(file, $"services.{name}.routing",
                $"(priority {routing.Priority}, {what}) would get no traffic: every request it matches is taken first by {others}; give services.{name} a lower priority number or conditions those rules do not cover");
        }
    }

    /// <summary>Whether one of <paramref name="patterns"/> (null or empty: any value) matches every value <paramref name="pattern"/> matches.</summary>
    private static bool Covers(IReadOnlyList<string>? patterns, string pattern, bool ignoreCase) =>
        patterns is not { Count: > 0 } || patterns.Any(p => GlobCovers(ignoreCase ? p.ToLowerInvariant() : p, ignoreCase ? pattern.ToLowerInvariant() : pattern));

    /// <summary>
    /// Whether ALB wildcard pattern <paramref name="a"/> (<c>*</c> any characters, <c>?</c> one) matches every string
    /// pattern <paramref name="b"/> matches: <c>/api/*</c> covers <c>/api/v1/*</c>, not <c>/ap*</c>.
    /// </summary>
    internal static bool GlobCovers(string a, string b)
    {
        var memo = new Dictionary<(int, int), bool>();
        bool F(int i, int j)
        {
            if (memo.TryGetValue((i, j), out var known)) return known;
            bool result;
            if (i == a.Length) result = j == b.Length;
            else if (a[i] == '*') result = F(i + 1, j) || (j < b.Length && F(i, j + 1));
            else if (j == b.Length || b[j] == '*') result = false;
            else if (a[i] == '?') result = F(i + 1, j + 1);
            else result = b[j] != '?' && a[i] == b[j] && F(i + 1, j + 1);
            memo[(i, j)] = result;
            return result;
        }
        return F(0, 0);
    }
}
