using System.Text.Json.Nodes;
using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;
using ScalableBackend.Sharding;

namespace ScalableBackend.Infra.Tests;

/// <summary>
/// SB-DIFF-002, the resharding guard: adding shard5 and giving it 896-1023 from shard4 passes one lifecycle step per
/// deploy and is refused when a step is skipped, with a message saying which step comes first.
/// </summary>
public sealed class ShardMoveGuardTests
{
    private const string Writer = "db.example.com:5432";
    private static readonly BucketRange Moving = new(896, 1023);

    private static ShardMap Map(IEnumerable<(string Id, BucketRange[] Buckets)> shards, params BucketMove[] moves) =>
        new(1024, shards.ToDictionary(s => s.Id, s => new ShardEntry { Buckets = s.Buckets, Writer = Writer }), moves);

    private static readonly (string, BucketRange[])[] FourShards =
        [("shard1", [new(0, 255)]), ("shard2", [new(256, 511)]), ("shard3", [new(512, 767)]), ("shard4", [new(768, 1023)])];

    private static readonly ShardMap Before = Map(FourShards);
    private static readonly ShardMap Created = Map([.. FourShards, ("shard5", [])]);
    private static readonly ShardMap Copying = Map([.. FourShards, ("shard5", [])], new BucketMove(Moving, "shard4", "shard5", MoveState.Copying));
    private static readonly (string, BucketRange[])[] AfterSwitch =
        [("shard1", [new(0, 255)]), ("shard2", [new(256, 511)]), ("shard3", [new(512, 767)]), ("shard4", [new(768, 895)]), ("shard5", [Moving])];
    private static readonly ShardMap Switched = Map(AfterSwitch, new BucketMove(Moving, "shard4", "shard5", MoveState.Switched));
    private static readonly ShardMap Cleaned = Map(AfterSwitch, new BucketMove(Moving, "shard4", "shard5", MoveState.Cleaned));
    private static readonly ShardMap Done = Map(AfterSwitch);

    public static TheoryData<string, string> Steps => new()
    {
        { "before", "created" }, { "created", "copying" }, { "copying", "switched" }, { "switched", "cleaned" },
        { "cleaned", "done" }, { "switched", "done" }, { "before", "before" },
    };

    private static ShardMap Named(string name) => name switch
    {
        "before" => Before, "created" => Created, "copying" => Copying, "switched" => Switched, "cleaned" => Cleaned, "done" => Done,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public void EachStepOfTheLifecyclePasses(string from, string to) => Assert.Empty(ShardMoveGuard.Compare(Named(from), Named(to)));

    [Fact]
    public void BucketsGivenToAShardTheBaseDoesNotHaveAreRefusedNamingStepOne()
    {
        var message = Assert.Single(ShardMoveGuard.Compare(Before, Done));
        Assert.Equal("buckets 896-1023 are given to shard5, which does not exist in the base; first deploy shard5 with buckets: [] (step 1), "
            + "then a move of 896-1023 from shard4 to shard5 with state: copying and copy the rows (step 2), then switch it (step 3)", message);
        // The same when the head writes the move down as switched.
        Assert.Contains("does not exist in the base", Assert.Single(ShardMoveGuard.Compare(Before, Switched)));
    }

    [Fact]
    public void ASwitchWithoutCopyingInTheBaseIsRefusedNamingStepTwo()
    {
        var message = Assert.Single(ShardMoveGuard.Compare(Created, Switched));
        Assert.Equal("buckets 896-1023 switch from shard4 to shard5 without having been copying in the base; first deploy a move of 896-1023 "
            + "from shard4 to shard5 with state: copying and copy the rows (step 2), then switch it (step 3)", message);
    }

    [Fact]
    public void OnlyTheBucketsBeyondTheCopyingRangeAreRefused()
    {
        // The base copies 896-1023; the head switches 768-1023: 768-895 were never copied.
        var wider = Map([("shard1", [new(0, 255)]), ("shard2", [new(256, 511)]), ("shard3", [new(512, 767)]), ("shard4", []), ("shard5", [new(768, 1023)])],
            new BucketMove(new BucketRange(768, 1023), "shard4", "shard5", MoveState.Switched));
        var message = Assert.Single(ShardMoveGuard.Compare(Copying, wider));
        Assert.StartsWith("buckets 768-895 switch from shard4 to shard5 without having been copying", message);
    }

    [Fact]
    public void ASwitchToAnotherShardThanTheCopyIsRefused()
    {
        var elsewhere = Map([("shard1", [new(0, 255)]), ("shard2", [new(256, 511)]), ("shard3", [new(512, 767), Moving]), ("shard4", [new(768, 895)]), ("shard5", [])]);
        Assert.StartsWith("buckets 896-1023 switch from shard4 to shard3 without having been copying", Assert.Single(ShardMoveGuard.Compare(Copying, elsewhere)));
    }

    [Fact]
    public void CleanedStraightFromCopyingIsRefusedNamingStepThree()
    {
        var message = Assert.Single(ShardMoveGuard.Compare(Copying, Cleaned));
        Assert.Equal("the move of 896-1023 from shard4 to shard5 is cleaned, but the base still has it copying; first deploy it switched (step 3), "
            + "wait one refresh interval, then clean the old copy (step 4)", message);
    }

    [Fact]
    public void ChangingTheBucketCountIsRefused()
    {
        var doubled = new ShardMap(2048, new Dictionary<string, ShardEntry> { ["shard1"] = new() { Buckets = [new(0, 2047)], Writer = Writer } });
        var single = new ShardMap(1024, new Dictionary<string, ShardEntry> { ["shard1"] = new() { Buckets = [new(0, 1023)], Writer = Writer } });
        Assert.StartsWith("bucketCount changes from 1024 to 2048", Assert.Single(ShardMoveGuard.Compare(single, doubled)));
    }

    /// <summary>A data stack's template publishing <paramref name="map"/> as <c>ShardedDatabase</c> does: a join of text and the writer's attributes.</summary>
    public static string DataTemplate(ShardMap map, string? acknowledgement = null)
    {
        var json = map.ToJson();
        var parts = new JsonArray();
        var pieces = json.Split(Writer);
        for (var i = 0; i < pieces.Length; i++)
        {
            if (i > 0)
            {
                parts.Add(JsonNode.Parse("""{"Fn::GetAtt": ["DatabaseShard1Writer", "Endpoint.Address"]}"""));
                parts.Add(":");
                parts.Add(JsonNode.Parse("""{"Fn::GetAtt": ["DatabaseShard1Writer", "Endpoint.Port"]}"""));
            }
            parts.Add(pieces[i]);
        }
        var parameter = new JsonObject
        {
            ["Type"] = "AWS::SSM::Parameter",
            ["Properties"] = new JsonObject { ["Type"] = "String", ["Value"] = new JsonObject { ["Fn::Join"] = new JsonArray("", parts) } },
        };
        if (acknowledgement is not null)
            parameter["Metadata"] = new JsonObject
            {
                ["ScalableBackend"] = new JsonObject { ["Acknowledgements"] = new JsonArray(new JsonObject { ["Rule"] = "SB-DIFF-002", ["Reason"] = acknowledgement }) },
            };
        return new JsonObject
        {
            ["Resources"] = new JsonObject
            {
                ["DatabaseShardMapB5C6D7E8"] = parameter,
                ["OtherParameter"] = JsonNode.Parse("""{"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "{\"not\": \"a map\"}"}}"""),
            },
        }.ToJsonString();
    }

    [Fact]
    public void TheMapIsReadFromTheTemplatesJoinAndOnlyThatParameterIsJudged()
    {
        var maps = ShardMoveGuard.MapsIn(TemplateDocument.Parse(DataTemplate(Copying), "data.json"));
        var (id, map) = Assert.Single(maps);
        Assert.Equal("DatabaseShardMapB5C6D7E8", id);
        Assert.Equal([.. Copying.Moves], [.. map.Moves]);
        Assert.Equal("token:token", map.Shards["shard5"].Writer);
    }

    [Fact]
    public void FindComparesMapsOfTheSameLogicalIdAndHonoursAnAcknowledgement()
    {
        var baseTemplate = TemplateDocument.Parse(DataTemplate(Before), "base.json");
        var refused = ShardMoveGuard.Find(baseTemplate, TemplateDocument.Parse(DataTemplate(Done), "head.json"));
        Assert.False(Assert.Single(refused).Acknowledged);
        Assert.Equal("DatabaseShardMapB5C6D7E8", refused[0].LogicalId);

        var acknowledged = ShardMoveGuard.Find(baseTemplate, TemplateDocument.Parse(DataTemplate(Done, "restored from a snapshot of shard4"), "head.json"));
        Assert.Equal("restored from a snapshot of shard4", Assert.Single(acknowledged).Reason);

        // A map only the head has is a new database: nothing to lose.
        Assert.Empty(ShardMoveGuard.Find(TemplateDocument.Parse("""{"Resources": {}}""", "base.json"), TemplateDocument.Parse(DataTemplate(Done), "head.json")));
    }

    private static TemplateDocument Parameters(string resources) => TemplateDocument.Parse("{\"Resources\": {" + resources + "}}", "t.json");

    [Fact]
    public void ANewOrRemovedStackHasNothingToCompare()
    {
        var data = TemplateDocument.Parse(DataTemplate(Before), "data.json");
        Assert.Empty(ShardMoveGuard.Find(null, data));
        Assert.Empty(ShardMoveGuard.Find(data, null));
        Assert.Empty(ShardMoveGuard.Find(null, null));
    }

    [Fact]
    public void ParametersThatAreNotJsonOrNotLiteralAreNotShardMaps()
    {
        var maps = ShardMoveGuard.MapsIn(Parameters("""
            "Plain": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "bucketCount shards, but not JSON {"}},
            "Referenced": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": {"Ref": "Map"}}},
            "Joined": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": {"Fn::Join": ["", ["{\"bucketCount\"", {"Ref": "Rest"}]]}}}
            """));
        Assert.Empty(maps);
    }

    [Fact]
    public void EveryTokenInTheJoinReadsAsAPlaceholder()
    {
        var text = new ShardMap(1024, new Dictionary<string, ShardEntry> { ["shard1"] = new() { Buckets = [new(0, 1023)], Writer = Writer, Readers = [Writer] } }).ToJson();
        var parts = text.Split(Writer);
        string Literal(int i) => System.Text.Json.JsonSerializer.Serialize(parts[i]);
        var maps = ShardMoveGuard.MapsIn(Parameters(
            "\"Map\": {\"Type\": \"AWS::SSM::Parameter\", \"Properties\": {\"Type\": \"String\", \"Value\": {\"Fn::Join\": [\"\", [" +
            Literal(0) + """, {"Fn::ImportValue": "Writer"}, """ + Literal(1) + """, {"Fn::Sub": "${Reader.Endpoint.Address}"}, """ + Literal(2) +
            "]]}}}"));
        var shard = Assert.Single(Assert.Single(maps).Value.Shards).Value;
        Assert.Equal("token", shard.Writer);
        Assert.Equal(["token"], shard.Readers);
    }

    [Fact]
    public void ABlankReasonDoesNotAcknowledgeAndTheChangeDescribesItself()
    {
        var baseTemplate = TemplateDocument.Parse(DataTemplate(Before), "base.json");
        var blank = ShardMoveGuard.Find(baseTemplate, TemplateDocument.Parse(DataTemplate(Done, "   "), "head.json"));
        var change = Assert.Single(blank);
        Assert.False(change.Acknowledged);
        Assert.Null(change.Reason);
        Assert.Equal($"DatabaseShardMapB5C6D7E8: {change.Message}", change.Describe());
    }

    [Fact]
    public void TheRuleIsInTheCatalogWithWhyAndHowToFix()
    {
        Assert.Same(ChangeRules.ShardMoveOrder, PolicyRules.Find(ShardMoveGuard.RuleId));
        Assert.Equal(Severity.Error, ShardMoveGuard.Descriptor.Severity);
        Assert.Contains("without their rows", ShardMoveGuard.Descriptor.Why);
        Assert.Contains("copy-buckets", ShardMoveGuard.Descriptor.Fix);
    }

    [Fact]
    public void DiffFailsOnTheOneStepVersionAndPassesTheStagedOne()
    {
        CliResult Diff(ShardMap from, ShardMap to, params string[] extra)
        {
            using var cli = new CliRunner();
            var baseDir = Directory.CreateDirectory(Path.Combine(cli.OutDir, "base")).FullName;
            var headDir = Directory.CreateDirectory(Path.Combine(cli.OutDir, "head")).FullName;
            File.WriteAllText(Path.Combine(baseDir, "Backend-Prod-Data.template.json"), DataTemplate(from));
            File.WriteAllText(Path.Combine(headDir, "Backend-Prod-Data.template.json"), DataTemplate(to));
            return cli.Run(["diff", "--env", "prod", "--base", baseDir, "--head", headDir, .. extra]);
        }

        var oneStep = Diff(Before, Done);
        Assert.Equal(1, oneStep.ExitCode);
        Assert.Contains("SB-DIFF-002 RESHARDING: DatabaseShardMapB5C6D7E8: buckets 896-1023 are given to shard5, which does not exist in the base", oneStep.Console);

        var markdown = Diff(Created, Switched, "--format", "markdown");
        Assert.Equal(1, markdown.ExitCode);
        Assert.Contains("shard map change(s) skip a resharding step (SB-DIFF-002)", markdown.StdOut);
        Assert.Contains("| Backend-Prod-Data | 1 | ❌ 1 |", markdown.StdOut);

        var staged = Diff(Copying, Switched);
        Assert.Equal(0, staged.ExitCode);
        Assert.DoesNotContain("SB-DIFF-002", staged.Console);
    }
}
