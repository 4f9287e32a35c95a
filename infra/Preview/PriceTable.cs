using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// The repository's price table (<c>infra/Pricing/prices.json</c>): on-demand prices for one region, with the date,
/// source and usage assumptions written beside the numbers. Only data; <see cref="CostEstimator"/> applies it.
/// </summary>
public sealed record PriceTable
{
    /// <summary>The region the prices are for (us-east-1).</summary>
    public required string Region { get; init; }

    /// <summary>The currency (USD).</summary>
    public required string Currency { get; init; }

    /// <summary>When the prices were written down.</summary>
    public required string Date { get; init; }

    /// <summary>Where the prices come from and how sure they are.</summary>
    public required string Source { get; init; }

    /// <summary>Caveats and conventions. Default: none.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Hours billed per month. Default: 730.</summary>
    public decimal HoursPerMonth { get; init; } = 730m;

    /// <summary>Hourly price per instance class, by service (<c>ec2</c>, <c>rds</c>, <c>elasticache</c>, <c>mq</c>, <c>msk</c>, <c>opensearch</c>).</summary>
    public IReadOnlyDictionary<string, Dictionary<string, decimal>> Instances { get; init; } = new Dictionary<string, Dictionary<string, decimal>>();

    /// <summary>Named unit rates such as <c>ebsGp3GiBMonth</c>. Default: none.</summary>
    public IReadOnlyDictionary<string, decimal> Rates { get; init; } = new Dictionary<string, decimal>();

    /// <summary>Flat prices per resource type (optionally <c>Type/variant</c>). Default: none.</summary>
    public IReadOnlyDictionary<string, FixedPrice> Fixed { get; init; } = new Dictionary<string, FixedPrice>();

    /// <summary>Resource types (or <c>Prefix::*</c>) that carry no charge of their own. Default: none.</summary>
    public IReadOnlyList<string> Free { get; init; } = [];

    /// <summary>The hourly price of <paramref name="instanceClass"/> in <paramref name="service"/>, or null when the table has none.</summary>
    public decimal? Hourly(string service, string? instanceClass) =>
        instanceClass is not null && Instances.TryGetValue(service, out var classes) && classes.TryGetValue(instanceClass, out var price)
            ? price
            : null;

    /// <summary>
    /// Which region's prices an estimate of an environment in <paramref name="region"/> uses, said plainly: this table's
    /// region, and when the environment is elsewhere, that its prices there are not in the table.
    /// </summary>
    public string PricesUsedFor(string? region) => region switch
    {
        null => $"{Region} prices (the templates do not name their region)",
        _ when region == Region => $"{Region} prices",
        _ => $"{Region} prices — the table has none for {region}, where prices differ",
    };

    /// <summary>
    /// The region a template deploys to, read from its literal availability zones (<c>eu-west-1a</c> → <c>eu-west-1</c>);
    /// null when it names none.
    /// </summary>
    public static string? RegionOf(IEnumerable<ScalableBackend.Policies.TemplateDocument> templates)
    {
        foreach (var template in templates)
            foreach (var resource in template.Resources)
                if (ScalableBackend.Policies.Values.AsString(resource["AvailabilityZone"]) is { } zone
                    && System.Text.RegularExpressions.Regex.Match(zone, "^([a-z]{2}(?:-[a-z]+)+-[0-9])[a-z]$") is { Success: true } match)
                    return match.Groups[1].Value;
        return null;
    }

    /// <summary>A unit rate by name, or null when the table has none.</summary>
    public decimal? Rate(string name) => Rates.TryGetValue(name, out var rate) ? rate : null;

    /// <summary>True when <paramref name="resourceType"/> is listed as free, exactly or through a <c>Prefix::*</c> entry.</summary>
    public bool IsFree(string resourceType) => Free.Any(entry => entry.EndsWith('*')
        ? resourceType.StartsWith(entry[..^1], StringComparison.Ordinal)
        : entry == resourceType);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The table shipped with the tool (<c>Pricing/prices.json</c> beside the executable).</summary>
    public static PriceTable Default => Lazy.Value;

    private static readonly Lazy<PriceTable> Lazy = new(() => Load(Path.Combine(AppContext.BaseDirectory, "Pricing", "prices.json")));

    /// <summary>Reads a price table; throws <see cref="InvalidDataException"/> naming the file when it is malformed.</summary>
    public static PriceTable Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses price-table JSON.</summary>
    public static PriceTable Parse(string json) =>
        JsonSerializer.Deserialize<PriceTable>(json, Options) ?? throw new JsonException("the price table is empty");
}

/// <summary>A flat price for one resource: <c>Hourly × hours + Monthly</c>, optionally per item of a list property.</summary>
public sealed record FixedPrice
{
    /// <summary>The kind the cost is reported under, e.g. "NAT gateways".</summary>
    public required string Kind { get; init; }

    /// <summary>Price per hour. Default: 0.</summary>
    public decimal Hourly { get; init; }

    /// <summary>Monthly usage assumption in currency. Default: 0.</summary>
    public decimal Monthly { get; init; }

    /// <summary>A list property (e.g. <c>SubnetIds</c>) whose item count multiplies the price. Default: none (×1).</summary>
    public string? Per { get; init; }

    /// <summary>How the figure is made up, with its usage assumption.</summary>
    public required string Basis { get; init; }
}
