using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace ScalableBackend.Components.Facts;

/// <summary>
/// Deploy-time facts about AWS that a template cannot show but a deployment fails on: which regions and zones exist,
/// which instance types, node types and classes each region offers, the architecture of each EC2 type, the engine
/// versions that exist and the time zones a scheduled action accepts. Read from the JSON files in
/// <c>components/Facts</c>, embedded in this assembly (no network, no credentials). Each file names its source, the
/// package versions and the date; <c>tools/facts/generate-facts.js</c> regenerates all but <c>manual.json</c>.
/// </summary>
public static class AwsFacts
{
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> ZonesByRegion = new(() =>
    {
        using var doc = Read("regions.json");
        return doc.RootElement.GetProperty("regions").EnumerateObject()
            .ToFrozenDictionary(p => p.Name, p => (IReadOnlyList<string>)p.Value.EnumerateArray().Select(z => z.GetString()!).ToList(), StringComparer.Ordinal);
    });

    private static readonly Lazy<InstanceTypeCatalog> Ec2Catalog = new(() => InstanceTypeCatalog.Load("ec2-instance-types.json", "an EC2 instance type"));
    private static readonly Lazy<InstanceTypeCatalog> CacheCatalog = new(() => InstanceTypeCatalog.Load("cache-node-types.json", "an ElastiCache node type"));
    private static readonly Lazy<InstanceTypeCatalog> MqCatalog = new(() => InstanceTypeCatalog.Load("mq-instance-types.json", "an Amazon MQ for RabbitMQ broker instance type"));
    private static readonly Lazy<InstanceTypeCatalog> SearchCatalog = new(() => InstanceTypeCatalog.Load("opensearch-instance-types.json", "an OpenSearch Service instance type"));
    private static readonly Lazy<InstanceTypeCatalog> RdsCatalog = new(() => InstanceTypeCatalog.Load("rds-instance-classes.json", "an RDS for PostgreSQL instance class"));

    private static readonly Lazy<(IReadOnlyList<string> Postgres, IReadOnlyList<string> Redis)> EngineVersions = new(() =>
    {
        using var doc = Read("engine-versions.json");
        return (Strings(doc.RootElement.GetProperty("postgres")), Strings(doc.RootElement.GetProperty("redis")));
    });

    private static readonly Lazy<Manual> ManualFacts = new(() =>
    {
        using var doc = Read("manual.json");
        var root = doc.RootElement;
        return new Manual(
            Strings(root.GetProperty("mskBrokerTypes").GetProperty("standard")),
            root.GetProperty("kafkaVersions").GetProperty("versions").EnumerateObject().Select(p => p.Name).ToList(),
            root.GetProperty("rabbitMqVersions").GetProperty("versions").EnumerateObject().Select(p => p.Name).ToList());
    });

    private static readonly Lazy<IReadOnlyList<string>> TimeZoneNames = new(() =>
    {
        using var doc = Read("time-zones.json");
        return Strings(doc.RootElement.GetProperty("timeZones"));
    });

    private sealed record Manual(IReadOnlyList<string> MskBrokerTypes, IReadOnlyList<string> KafkaVersions, IReadOnlyList<string> RabbitMqVersions);

    /// <summary>The regions the data knows, sorted.</summary>
    public static IReadOnlyList<string> Regions => ZonesByRegion.Value.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="region"/> is a region the data knows.</summary>
    public static bool IsRegion(string region) => ZonesByRegion.Value.ContainsKey(region);

    /// <summary>The availability zones of <paramref name="region"/> (as <c>Fn::GetAZs</c> names them); empty for an unknown region.</summary>
    public static IReadOnlyList<string> ZonesOf(string region) => ZonesByRegion.Value.TryGetValue(region, out var zones) ? zones : [];

    /// <summary>EC2 instance types per region, with their architecture.</summary>
    public static InstanceTypeCatalog Ec2InstanceTypes => Ec2Catalog.Value;

    /// <summary>ElastiCache node types per region (<c>cache.r7g.large</c>).</summary>
    public static InstanceTypeCatalog CacheNodeTypes => CacheCatalog.Value;

    /// <summary>Amazon MQ for RabbitMQ broker instance types per region (<c>mq.m5.large</c>).</summary>
    public static InstanceTypeCatalog MqInstanceTypes => MqCatalog.Value;

    /// <summary>OpenSearch Service instance types per region (<c>r6g.large.search</c>).</summary>
    public static InstanceTypeCatalog OpenSearchInstanceTypes => SearchCatalog.Value;

    /// <summary>RDS DB instance classes for PostgreSQL per region (<c>db.r6g.large</c>).</summary>
    public static InstanceTypeCatalog RdsInstanceClasses => RdsCatalog.Value;

    /// <summary>RDS for PostgreSQL engine versions that exist (<c>16.4</c>, …), whether or not they can still be created.</summary>
    public static IReadOnlyList<string> PostgresVersions => EngineVersions.Value.Postgres;

    /// <summary>ElastiCache for Redis engine versions CloudFormation accepts (<c>7.1</c>, …).</summary>
    public static IReadOnlyList<string> RedisVersions => EngineVersions.Value.Redis;

    /// <summary>MSK standard broker instance types (<c>kafka.m5.large</c>, …), from AWS's documentation.</summary>
    public static IReadOnlyList<string> MskBrokerTypes => ManualFacts.Value.MskBrokerTypes;

    /// <summary>Apache Kafka versions MSK has (<c>3.6.0</c>, <c>3.8.x</c>, …), from AWS's documentation.</summary>
    public static IReadOnlyList<string> KafkaVersions => ManualFacts.Value.KafkaVersions;

    /// <summary>RabbitMQ versions Amazon MQ creates brokers with (<c>3.13</c>, …), from AWS's documentation.</summary>
    public static IReadOnlyList<string> RabbitMqVersions => ManualFacts.Value.RabbitMqVersions;

    /// <summary>The time zones a scheduled action accepts: canonical IANA names (<c>Europe/Berlin</c>, <c>Etc/UTC</c>).</summary>
    public static IReadOnlyList<string> TimeZones => TimeZoneNames.Value;

    /// <summary>
    /// The candidate closest to <paramref name="value"/> for a "did you mean" hint, or null when none is close: the one
    /// whose last <c>/</c>-separated part equals it ignoring case (<c>Berlin</c> → <c>Europe/Berlin</c>), else the one
    /// with the fewest edits (at most a third of the value's length, at least 2).
    /// </summary>
    public static string? ClosestMatch(string value, IEnumerable<string> candidates)
    {
        var list = candidates as IReadOnlyCollection<string> ?? candidates.ToList();
        var byLastPart = list.Where(c => string.Equals(c[(c.LastIndexOf('/') + 1)..], value, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (byLastPart is not null && byLastPart != value) return byLastPart;
        var limit = Math.Max(2, value.Length / 3);
        var lower = value.ToLowerInvariant();
        // Fewest edits first; among equals, the longest common prefix (3.6.1 → 3.6.0 rather than 3.5.1), then ordinal order.
        var best = list.Where(c => c != value)
            .Select(c => (Candidate: c, Distance: EditDistance(lower, c.ToLowerInvariant()), Prefix: CommonPrefix(lower, c.ToLowerInvariant())))
            .OrderBy(x => x.Distance).ThenByDescending(x => x.Prefix).ThenBy(x => x.Candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Candidate is not null && best.Distance <= limit ? best.Candidate : null;
    }

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
        return n;
    }

    /// <summary>"; did you mean X?" for the closest candidate, or an empty string.</summary>
    public static string DidYouMean(string value, IEnumerable<string> candidates) =>
        ClosestMatch(value, candidates) is { } match ? $"; did you mean {match}?" : "";

    /// <summary>The Damerau–Levenshtein (optimal string alignment) distance: insertions, deletions, substitutions, adjacent swaps.</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    internal static JsonDocument Read(string file)
    {
        var name = $"ScalableBackend.Components.Facts.{file}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded facts file {name} is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        return JsonDocument.Parse(stream);
    }

    private static IReadOnlyList<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();
}

/// <summary>
/// A kind of instance type (EC2 instance types, cache node types, …) and the regions that offer each. Regions for
/// which the source has no data (<see cref="HasDataFor"/> is false) are not checked.
/// </summary>
public sealed class InstanceTypeCatalog
{
    private readonly FrozenDictionary<string, Entry> _types;
    private readonly FrozenSet<string> _regionsWithoutData;

    private sealed record Entry(string? Architecture, FrozenSet<string>? OnlyIn, FrozenSet<string>? NotIn);

    private InstanceTypeCatalog(string kind, FrozenDictionary<string, Entry> types, FrozenSet<string> regionsWithoutData)
    {
        Kind = kind;
        _types = types;
        _regionsWithoutData = regionsWithoutData;
    }

    internal static InstanceTypeCatalog Load(string file, string kind)
    {
        using var doc = AwsFacts.Read(file);
        var root = doc.RootElement;
        static FrozenSet<string> Set(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToFrozenSet(StringComparer.Ordinal);
        var types = root.GetProperty("types").EnumerateObject().ToFrozenDictionary(p => p.Name, p =>
        {
            var v = p.Value;
            var arch = v.TryGetProperty("architecture", out var a) ? a.GetString() : null;
            FrozenSet<string>? onlyIn = v.TryGetProperty("regions", out var r) && r.ValueKind == JsonValueKind.Array ? Set(r) : null;
            FrozenSet<string>? notIn = v.TryGetProperty("notIn", out var n) ? Set(n) : null;
            return new Entry(arch, onlyIn, notIn);
        }, StringComparer.Ordinal);
        var without = root.TryGetProperty("regionsWithoutData", out var w) ? Set(w) : FrozenSet<string>.Empty;
        return new InstanceTypeCatalog(kind, types, without);
    }

    /// <summary>What a value of this catalog is, for messages: <c>an EC2 instance type</c>.</summary>
    public string Kind { get; }

    /// <summary>Every type, sorted.</summary>
    public IReadOnlyList<string> All => _types.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="type"/> is offered in at least one region.</summary>
    public bool Exists(string type) => _types.ContainsKey(type);

    /// <summary>Whether the data says which types <paramref name="region"/> offers.</summary>
    public bool HasDataFor(string region) => AwsFacts.IsRegion(region) && !_regionsWithoutData.Contains(region);

    /// <summary>Whether <paramref name="region"/> offers <paramref name="type"/>; true where the data has nothing to say about the region.</summary>
    public bool IsOfferedIn(string type, string region)
    {
        if (!HasDataFor(region)) return true;
        if (!_types.TryGetValue(type, out var e)) return false;
        return e.OnlyIn is { } only ? only.Contains(region) : e.NotIn is not { } not || !not.Contains(region);
    }

    /// <summary>The types <paramref name="region"/> offers, sorted.</summary>
    public IReadOnlyList<string> OfferedIn(string region) => All.Where(t => IsOfferedIn(t, region)).ToList();

    /// <summary>Why <paramref name="type"/> is rejected everywhere (naming the closest type), or null when some region offers it.</summary>
    public string? ExistenceProblem(string type) =>
        Exists(type) ? null : $"is not {Kind} in any region{AwsFacts.DidYouMean(type, _types.Keys)}";

    /// <summary>
    /// Why <paramref name="region"/> rejects <paramref name="type"/> (naming the closest type it offers), or null when
    /// it offers it or the data has nothing to say about the region.
    /// </summary>
    public string? RegionProblem(string type, string region)
    {
        if (IsOfferedIn(type, region)) return null;
        var offered = OfferedIn(region);
        var hint = AwsFacts.DidYouMean(type, offered);
        return Exists(type)
            ? $"is not offered in {region} (other regions have it){(hint.Length > 0 ? hint : $"; {region} offers {Sample(type, offered)}")}"
            : $"is not {Kind} in {region}{(hint.Length > 0 ? hint : $"; {region} offers {Sample(type, offered)}")}";
    }

    /// <summary>A few offered types of the same family or size, for a message without a close match.</summary>
    private static string Sample(string type, IReadOnlyList<string> offered)
    {
        var family = type.Split('.') is { Length: > 1 } parts ? parts[^2] : type;
        var same = offered.Where(t => t.Contains(family, StringComparison.Ordinal)).Take(6).ToList();
        var shown = same.Count > 0 ? same : offered.Take(6).ToList();
        return string.Join(", ", shown) + (offered.Count > shown.Count ? ", …" : "");
    }

    /// <summary>The architecture of <paramref name="type"/> (<c>x86_64</c> or <c>arm64</c>), or null when the data has none.</summary>
    public string? ArchitectureOf(string type) => _types.TryGetValue(type, out var e) ? e.Architecture : null;
}
