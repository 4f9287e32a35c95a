using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScalableBackend.Sharding;

/// <summary>
/// Reads and writes the shard map's JSON. Version 1 (as <c>ShardedDatabase</c> published it before resharding):
/// <code>
/// {"version":1,"hash":"crc32","bucketCount":1024,
///  "shards":{"shard1":{"buckets":["0-255"],"writer":"host:5432","readers":["host:5432"],"proxy":"host:5432","secretArn":"arn:…"},…}}
/// </code>
/// Version 2 adds shards with <c>"buckets":[]</c> and a <c>moves</c> list:
/// <code>
/// "moves":[{"buckets":"896-1023","from":"shard4","to":"shard5","state":"copying"}]
/// </code>
/// <c>proxy</c> and <c>secretArn</c> may be absent or null, <c>readers</c> absent; other unknown properties are
/// ignored. The version decides what the reader accepts, so a map from a newer library is refused, never misread.
/// </summary>
public static class ShardMapJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses and validates <paramref name="json"/>.</summary>
    /// <exception cref="ShardMapException">The text is not a valid shard map.</exception>
    public static ShardMap Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try { document = JsonDocument.Parse(json); }
        catch (JsonException e) { throw new ShardMapException("", $"is not JSON ({e.Message})", e); }
        using (document) return Read(document.RootElement);
    }

    /// <summary>Parses and validates the UTF-8 JSON in <paramref name="utf8Json"/>.</summary>
    /// <exception cref="ShardMapException">The document is not a valid shard map.</exception>
    public static ShardMap Parse(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        JsonDocument document;
        try { document = JsonDocument.Parse(utf8Json); }
        catch (JsonException e) { throw new ShardMapException("", $"is not JSON ({e.Message})", e); }
        using (document) return Read(document.RootElement);
    }

    /// <summary>The compact JSON of <paramref name="map"/>: version, hash, bucketCount, shards in id order (buckets, writer, readers, proxy and secretArn when set), then moves when there are any.</summary>
    public static string Write(ShardMap map)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("version", map.Version);
            w.WriteString("hash", ShardMap.HashFunction);
            w.WriteNumber("bucketCount", map.BucketCount);
            w.WriteStartObject("shards");
            foreach (var (id, shard) in map.Shards.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(id);
                w.WriteStartArray("buckets");
                foreach (var range in shard.Buckets) w.WriteStringValue(range.ToString());
                w.WriteEndArray();
                w.WriteString("writer", shard.Writer);
                w.WriteStartArray("readers");
                foreach (var reader in shard.Readers) w.WriteStringValue(reader);
                w.WriteEndArray();
                if (shard.Proxy is { } proxy) w.WriteString("proxy", proxy);
                if (shard.SecretArn is { } secret) w.WriteString("secretArn", secret);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            if (map.Moves.Count > 0)
            {
                w.WriteStartArray("moves");
                foreach (var move in map.Moves)
                {
                    w.WriteStartObject();
                    w.WriteString("buckets", move.Buckets.ToString());
                    w.WriteString("from", move.From);
                    w.WriteString("to", move.To);
                    w.WriteString("state", BucketMove.NameOf(move.State));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static ShardMap Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ShardMapException("", $"must be a JSON object, not {Kind(root)}");
        if (!root.TryGetProperty("version", out var versionElement))
            throw new ShardMapException("version", $"is missing; this library reads versions {string.Join(", ", ShardMap.ReadableVersions)}");
        if (versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version))
            throw new ShardMapException("version", $"must be a whole number, not {versionElement.GetRawText()}");
        if (!ShardMap.ReadableVersions.Contains(version))
            throw new ShardMapException("version", $"{version} is not a version this library reads ({string.Join(", ", ShardMap.ReadableVersions)}); update ScalableBackend.ShardMap");

        var hash = RequiredString(root, "hash", "");
        if (hash != ShardMap.HashFunction)
            throw new ShardMapException("hash", $"\"{hash}\" is not supported; the map is computed with {ShardMap.HashFunction}");
        if (!root.TryGetProperty("bucketCount", out var countElement) || countElement.ValueKind != JsonValueKind.Number || !countElement.TryGetInt32(out var bucketCount))
            throw new ShardMapException("bucketCount", "must be a whole number of buckets (1-65536)");

        if (!root.TryGetProperty("shards", out var shardsElement) || shardsElement.ValueKind != JsonValueKind.Object)
            throw new ShardMapException("shards", "must be an object of shards by id");
        var shards = new Dictionary<string, ShardEntry>(StringComparer.Ordinal);
        foreach (var property in shardsElement.EnumerateObject())
        {
            var at = $"shards.{property.Name}";
            var shard = property.Value;
            if (shard.ValueKind != JsonValueKind.Object)
                throw new ShardMapException(at, $"must be an object, not {Kind(shard)}");
            if (shards.ContainsKey(property.Name))
                throw new ShardMapException(at, "appears twice");
            if (!shard.TryGetProperty("buckets", out var buckets) || buckets.ValueKind != JsonValueKind.Array)
                throw new ShardMapException($"{at}.buckets", "must be a list of ranges such as [\"0-255\"]");
            shards[property.Name] = new ShardEntry
            {
                Buckets = buckets.EnumerateArray().Select((b, i) => Range(b, $"{at}.buckets[{i}]")).ToArray(),
                Writer = RequiredString(shard, "writer", at),
                Readers = shard.TryGetProperty("readers", out var readers) && readers.ValueKind != JsonValueKind.Null
                    ? readers.ValueKind == JsonValueKind.Array
                        ? readers.EnumerateArray().Select((r, i) => Text(r, $"{at}.readers[{i}]")).ToArray()
                        : throw new ShardMapException($"{at}.readers", "must be a list of host:port endpoints")
                    : [],
                Proxy = OptionalString(shard, "proxy", at),
                SecretArn = OptionalString(shard, "secretArn", at),
            };
        }

        var moves = new List<BucketMove>();
        if (root.TryGetProperty("moves", out var movesElement) && movesElement.ValueKind != JsonValueKind.Null)
        {
            if (version < 2)
                throw new ShardMapException("moves", $"needs version 2; this map says version {version}");
            if (movesElement.ValueKind != JsonValueKind.Array)
                throw new ShardMapException("moves", "must be a list of moves");
            var i = 0;
            foreach (var move in movesElement.EnumerateArray())
            {
                var at = $"moves[{i++}]";
                if (move.ValueKind != JsonValueKind.Object)
                    throw new ShardMapException(at, $"must be an object, not {Kind(move)}");
                if (!move.TryGetProperty("buckets", out var range))
                    throw new ShardMapException($"{at}.buckets", "is missing; a move names its range, such as \"896-1023\"");
                var stateName = RequiredString(move, "state", at);
                var state = BucketMove.StateOf(stateName)
                    ?? throw new ShardMapException($"{at}.state", $"\"{stateName}\" is not a move state (copying, switched, cleaned)");
                moves.Add(new BucketMove(Range(range, $"{at}.buckets"), RequiredString(move, "from", at), RequiredString(move, "to", at), state));
            }
        }
        return new ShardMap(bucketCount, shards, moves, version);
    }

    private static BucketRange Range(JsonElement element, string at) =>
        element.ValueKind == JsonValueKind.String && BucketRange.TryParse(element.GetString()!) is { } range
            ? range
            : throw new ShardMapException(at, $"{element.GetRawText()} is not a bucket range such as \"0-255\" or \"7\"");

    private static string RequiredString(JsonElement parent, string name, string at)
    {
        var path = at.Length == 0 ? name : $"{at}.{name}";
        return parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new ShardMapException(path, "is missing or not a non-empty string");
    }

    private static string? OptionalString(JsonElement parent, string name, string at) =>
        !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null : Text(value, $"{at}.{name}");

    private static string Text(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new ShardMapException(at, $"must be a non-empty string, not {value.GetRawText()}");

    private static string Kind(JsonElement e) => e.ValueKind.ToString().ToLowerInvariant();
}
