using System.Text;

namespace ScalableBackend.Sharding.Tests;

/// <summary>The schema: bucket arithmetic, reading version 1 as the component publishes it, version 2, and refusals.</summary>
public sealed class ShardMapTests
{
    /// <summary>The map exactly as ShardedDatabase publishes it (CloudFormation's join resolved): a shard with a replica and a proxy, one without, one single-bucket range.</summary>
    private const string PublishedV1 =
        "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":1024,\"shards\":{" +
        "\"shard1\":{\"buckets\":[\"0-255\"],\"writer\":\"w1.rds.amazonaws.com:5432\",\"readers\":[\"r1.rds.amazonaws.com:5432\"],\"proxy\":\"p1.proxy-x.rds.amazonaws.com:5432\",\"secretArn\":\"arn:aws:secretsmanager:us-east-1:1:secret:s1\"}," +
        "\"shard2\":{\"buckets\":[\"256\",\"257-1023\"],\"writer\":\"w2.rds.amazonaws.com:5432\",\"readers\":[],\"secretArn\":\"arn:aws:secretsmanager:us-east-1:1:secret:s2\"}}}";

    [Fact]
    public void Crc32IsTheZlibChecksum()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute([]));
        Assert.Equal(0x414FA339u, Crc32.Compute("The quick brown fox jumps over the lazy dog"u8));
    }

    [Theory]
    [InlineData("123456789", 1024, 294)]   // 0xCBF43926 mod 1024
    [InlineData("123456789", 7, 3421780262 % 7)]
    [InlineData("", 1024, 0)]
    public void BucketIsCrc32OfTheKeyModTheBucketCount(string key, int bucketCount, long expected) =>
        Assert.Equal((int)expected, ShardMap.BucketOf(key, bucketCount));

    [Fact]
    public void HashesTheUtf8BytesOfTheKey()
    {
        Assert.Equal((int)(Crc32.Compute([0xC3, 0xA9]) % 1024), ShardMap.BucketOf("é", 1024)); // U+00E9 is C3 A9 in UTF-8
        var longKey = new string('ü', 1000); // longer than the stack buffer
        Assert.Equal((int)(Crc32.Compute(Encoding.UTF8.GetBytes(longKey)) % 1024), ShardMap.BucketOf(longKey, 1024));
    }

    [Fact]
    public void ReadsVersion1AsTheComponentPublishesIt()
    {
        var map = ShardMap.Parse(PublishedV1);
        Assert.Equal(1, map.Version);
        Assert.Equal(1024, map.BucketCount);
        Assert.Equal("shard1", map.ShardOf(255));
        Assert.Equal("shard2", map.ShardOf(256));
        Assert.Equal("shard2", map.ShardOf(1023));
        Assert.Equal("p1.proxy-x.rds.amazonaws.com:5432", map.Shards["shard1"].Proxy);
        Assert.Null(map.Shards["shard2"].Proxy);
        Assert.Equal(["r1.rds.amazonaws.com:5432"], map.Shards["shard1"].Readers);
        Assert.Empty(map.Moves);
        Assert.Equal(new ShardRoute(294, "shard2", null), map.Route("123456789"));
    }

    [Fact]
    public void WritesVersion1ByteForByteAsTheComponentDoes() => Assert.Equal(PublishedV1, ShardMap.Parse(PublishedV1).ToJson());

    [Fact]
    public void Version2CarriesAnEmptyShardAndAMoveAndRoundTrips()
    {
        var map = new ShardMap(1024, new Dictionary<string, ShardEntry>
        {
            ["shard4"] = new() { Buckets = [new(0, 1023)], Writer = "w4:5432" },
            ["shard5"] = new() { Buckets = [], Writer = "w5:5432" },
        }, [new BucketMove(new(896, 1023), "shard4", "shard5", MoveState.Copying)]);
        Assert.Equal(2, map.Version);
        var json = map.ToJson();
        Assert.Equal("{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":1024,\"shards\":{\"shard4\":{\"buckets\":[\"0-1023\"],\"writer\":\"w4:5432\",\"readers\":[]},\"shard5\":{\"buckets\":[],\"writer\":\"w5:5432\",\"readers\":[]}},\"moves\":[{\"buckets\":\"896-1023\",\"from\":\"shard4\",\"to\":\"shard5\",\"state\":\"copying\"}]}", json);
        var again = ShardMap.Parse(json);
        Assert.Equal("shard4", again.ShardOf(900)); // copying: the old owner serves
        Assert.Equal(MoveState.Copying, again.MoveOf(900)!.State);
        Assert.Null(again.MoveOf(895));
        Assert.Equal(json, again.ToJson());
    }

    [Fact]
    public void ASwitchedMoveIsServedByItsNewOwner()
    {
        var map = ShardMap.Parse("{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"0-5\"],\"writer\":\"a:1\"},\"b\":{\"buckets\":[\"6-7\"],\"writer\":\"b:1\"}},\"moves\":[{\"buckets\":\"6-7\",\"from\":\"a\",\"to\":\"b\",\"state\":\"switched\"}]}");
        Assert.Equal("b", map.ShardOf(6));
        Assert.Equal("b", map.MoveOf(7)!.Owner);
    }

    [Fact]
    public void ReadsFromAStream()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(PublishedV1));
        Assert.Equal("shard1", ShardMap.Parse(stream).ShardOf(0));
    }

    private const string Shards8 = "\"shards\":{\"a\":{\"buckets\":[\"0-3\"],\"writer\":\"a:1\"},\"b\":{\"buckets\":[\"4-7\"],\"writer\":\"b:1\"}}";

    public static TheoryData<string, string> BadMaps => new()
    {
        { "not json", "shard map: is not JSON" },
        { "[]", "shard map: must be a JSON object, not array" },
        { "{\"hash\":\"crc32\"}", "shard map: version: is missing; this library reads versions 1, 2" },
        { "{\"version\":3,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + "}", "shard map: version: 3 is not a version this library reads (1, 2); update ScalableBackend.ShardMap" },
        { "{\"version\":\"1\",\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + "}", "shard map: version: must be a whole number, not \"1\"" },
        { "{\"version\":1,\"hash\":\"md5\",\"bucketCount\":8," + Shards8 + "}", "shard map: hash: \"md5\" is not supported; the map is computed with crc32" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":0," + Shards8 + "}", "shard map: bucketCount: 0 must be between 1 and 65536" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{}}", "shard map: shards: lists no shard; a map needs at least one" },
        // gaps and overlaps
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"0-3\"],\"writer\":\"a:1\"},\"b\":{\"buckets\":[\"6-7\"],\"writer\":\"b:1\"}}}", "shard map: shards: buckets 4-5 have no owner; every bucket from 0 to 7 needs exactly one shard" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"0-4\"],\"writer\":\"a:1\"},\"b\":{\"buckets\":[\"4-7\"],\"writer\":\"b:1\"}}}", "shard map: shards.b.buckets[0]: 4-7 overlaps buckets of shard a (bucket 4); every bucket has exactly one owner" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"0-8\"],\"writer\":\"a:1\"}}}", "shard map: shards.a.buckets[0]: 0-8 must lie within 0-7 (bucketCount 8) with from ≤ to" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"7-0\"],\"writer\":\"a:1\"}}}", "shard map: shards.a.buckets[0]: 7-0 must lie within 0-7 (bucketCount 8) with from ≤ to" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"0..7\"],\"writer\":\"a:1\"}}}", "shard map: shards.a.buckets[0]: \"0..7\" is not a bucket range such as \"0-255\" or \"7\"" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"0-7\"]}}}", "shard map: shards.a.writer: is missing or not a non-empty string" },
        // version 1 cannot say what version 2 says
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8,\"shards\":{\"a\":{\"buckets\":[\"0-7\"],\"writer\":\"a:1\"},\"b\":{\"buckets\":[],\"writer\":\"b:1\"}}}", "shard map: shards.b.buckets: is empty; a shard without buckets needs version 2" },
        { "{\"version\":1,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + ",\"moves\":[]}", "shard map: moves: needs version 2; this map says version 1" },
        // moves
        { "{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + ",\"moves\":[{\"buckets\":\"4-7\",\"from\":\"a\",\"to\":\"b\",\"state\":\"copying\"}]}", "shard map: moves[0].buckets: 4-7 is copying, so its old owner a still serves it and lists it; bucket 4 is listed under b" },
        { "{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + ",\"moves\":[{\"buckets\":\"0-1\",\"from\":\"a\",\"to\":\"b\",\"state\":\"switched\"}]}", "shard map: moves[0].buckets: 0-1 is switched, so its new owner b serves it and lists it; bucket 0 is listed under a" },
        { "{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + ",\"moves\":[{\"buckets\":\"0-1\",\"from\":\"a\",\"to\":\"c\",\"state\":\"copying\"}]}", "shard map: moves[0].to: c is not a shard of this map; a shard stays in the map while it sends or receives buckets" },
        { "{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + ",\"moves\":[{\"buckets\":\"0-1\",\"from\":\"a\",\"to\":\"a\",\"state\":\"copying\"}]}", "shard map: moves[0].to: a is also the shard the range comes from" },
        { "{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + ",\"moves\":[{\"buckets\":\"0-1\",\"from\":\"a\",\"to\":\"b\",\"state\":\"moving\"}]}", "shard map: moves[0].state: \"moving\" is not a move state (copying, switched, cleaned)" },
        { "{\"version\":2,\"hash\":\"crc32\",\"bucketCount\":8," + Shards8 + ",\"moves\":[{\"buckets\":\"0-1\",\"from\":\"a\",\"to\":\"b\",\"state\":\"copying\"},{\"buckets\":\"1-2\",\"from\":\"a\",\"to\":\"b\",\"state\":\"copying\"}]}", "shard map: moves[1].buckets: 1-2 overlaps the move 0-1:a->b (bucket 1); a bucket moves once at a time" },
    };

    [Theory]
    [MemberData(nameof(BadMaps))]
    public void RefusesABadMapSayingWhereAndWhy(string json, string expected)
    {
        var error = Assert.Throws<ShardMapException>(() => ShardMap.Parse(json));
        if (expected.EndsWith("is not JSON", StringComparison.Ordinal)) Assert.StartsWith(expected, error.Message);
        else Assert.Equal(expected, error.Message);
    }
}
