using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace ScalableBackend.Components.Data;

/// <summary>One RDS for PostgreSQL version of <see cref="PostgresVersions"/>.</summary>
/// <param name="Version">The version, <c>major.minor</c>.</param>
/// <param name="CreationEnds">The first day RDS no longer creates new instances on it; null while AWS has announced none.</param>
public sealed record PostgresVersion(string Version, DateOnly? CreationEnds);

/// <summary>
/// The RDS for PostgreSQL versions this library knows and the day each stops being creatable, read from the data
/// file <c>components/Data/postgres-versions.json</c> (embedded; its <c>source</c>, <c>retrieved</c> date and
/// <c>refresh</c> instructions are in the file). A shard cannot be created on a version past its creation deadline,
/// so <see cref="ShardedDatabase.Validate(ShardedDatabaseSettings, DateOnly?)"/> rejects it.
/// </summary>
public static class PostgresVersions
{
    /// <summary>How many days before a creation deadline a database warns.</summary>
    public const int WarningDays = 90;

    /// <summary>The version a database uses when its settings name none (creatable when the file was last refreshed).</summary>
    public const string Default = "17.7";

    private static readonly Lazy<(string Source, DateOnly Retrieved, IReadOnlyDictionary<string, PostgresVersion> Versions)> Data = new(Load);

    /// <summary>Where the data comes from, as the file says.</summary>
    public static string Source => Data.Value.Source;

    /// <summary>The day the data was last taken from its source.</summary>
    public static DateOnly Retrieved => Data.Value.Retrieved;

    /// <summary>Every known version, keyed by <c>major.minor</c>.</summary>
    public static IReadOnlyDictionary<string, PostgresVersion> All => Data.Value.Versions;

    /// <summary>The known versions still creatable on <paramref name="today"/>, oldest first.</summary>
    public static IEnumerable<string> CreatableOn(DateOnly today) =>
        All.Values.Where(v => v.CreationEnds is not { } end || end > today)
            .OrderBy(v => int.Parse(v.Version.Split('.')[0], CultureInfo.InvariantCulture))
            .ThenBy(v => int.Parse(v.Version.Split('.')[1], CultureInfo.InvariantCulture))
            .Select(v => v.Version);

    private static (string, DateOnly, IReadOnlyDictionary<string, PostgresVersion>) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ScalableBackend.Components.Data.postgres-versions.json")
            ?? throw new InvalidOperationException("postgres-versions.json is not embedded in ScalableBackend.Components");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var versions = root.GetProperty("versions").EnumerateObject().ToDictionary(
            v => v.Name,
            v => new PostgresVersion(v.Name, v.Value.GetProperty("creationEnds") is { ValueKind: JsonValueKind.String } end
                ? DateOnly.ParseExact(end.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture)
                : null),
            StringComparer.Ordinal);
        return (root.GetProperty("source").GetString()!, DateOnly.ParseExact(root.GetProperty("retrieved").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture), versions);
    }
}
