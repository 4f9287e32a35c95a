using System.Text.Json.Nodes;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Facts;
using ScalableBackend.Components.Messaging;

namespace ScalableBackend.Components.Tests.Facts;

/// <summary>
/// The committed facts (components/Facts) hold what the generator's sources say for values known by hand, and were
/// generated from the package versions package.json pins. These read the data only; they never regenerate it.
/// </summary>
public sealed class AwsFactsTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "components", "Facts", "regions.json")))
                return dir.FullName;
        throw new DirectoryNotFoundException("components/Facts not found above " + AppContext.BaseDirectory);
    }

    private static JsonObject Json(string path) => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, path)))!.AsObject();

    public static TheoryData<string> GeneratedFiles => new()
    {
        "regions.json", "ec2-instance-types.json", "cache-node-types.json", "mq-instance-types.json",
        "opensearch-instance-types.json", "rds-instance-classes.json", "engine-versions.json", "time-zones.json",
    };

    [Theory]
    [MemberData(nameof(GeneratedFiles))]
    public void EachGeneratedFileNamesItsSourceDateAndThePinnedPackages(string file)
    {
        var data = Json($"components/Facts/{file}");
        var pinned = Json("package.json")["devDependencies"]!.AsObject();
        Assert.False(string.IsNullOrWhiteSpace(data["source"]?.GetValue<string>()));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", data["generated"]!.GetValue<string>());
        Assert.Equal("tools/facts/generate-facts.js", data["generator"]!.GetValue<string>());
        var packages = data["packages"]!.AsObject();
        foreach (var name in new[] { "aws-cdk-lib", "@aws-sdk/client-ec2", "@aws-sdk/client-opensearch" })
            Assert.Equal(pinned[name]!.GetValue<string>(), packages[name]!.GetValue<string>());
        Assert.Equal("1.14.0", packages["@aws/cloudformation-validate"]!.GetValue<string>());
    }

    [Fact]
    public void TheHandWrittenFileNamesItsSources()
    {
        var manual = Json("components/Facts/manual.json");
        foreach (var section in new[] { "mskBrokerTypes", "kafkaVersions", "rabbitMqVersions" })
        {
            Assert.StartsWith("https://docs.aws.amazon.com/", manual[section]!["source"]!.GetValue<string>());
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", manual[section]!["retrieved"]!.GetValue<string>());
        }
    }

    [Fact]
    public void ZonesAreWhatFnGetAZsGivesPerRegion()
    {
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"], AwsFacts.ZonesOf("us-east-1"));
        Assert.Equal(["us-west-1a", "us-west-1c"], AwsFacts.ZonesOf("us-west-1"));
        Assert.Equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"], AwsFacts.ZonesOf("eu-west-1"));
        Assert.False(AwsFacts.IsRegion("us-east-7"));
        Assert.Empty(AwsFacts.ZonesOf("us-east-7"));
    }

    [Fact]
    public void InstanceTypesAreOfferedWhereTheValidatorAcceptsThem()
    {
        var ec2 = AwsFacts.Ec2InstanceTypes;
        Assert.True(ec2.IsOfferedIn("m5.large", "us-east-1"));
        Assert.True(ec2.IsOfferedIn("m6i.large", "us-east-1"));
        Assert.True(ec2.IsOfferedIn("t3.small", "eu-west-1"));
        Assert.False(ec2.Exists("m5.larg"));
        Assert.False(ec2.IsOfferedIn("m5.larg", "us-east-1"));
        Assert.True(ec2.Exists("c8id.large"));
        Assert.False(ec2.IsOfferedIn("c8id.large", "eu-west-1"));
        Assert.True(AwsFacts.CacheNodeTypes.IsOfferedIn("cache.r7g.large", "us-east-1"));
        Assert.True(AwsFacts.CacheNodeTypes.IsOfferedIn("cache.t4g.micro", "us-east-1"));
        Assert.False(AwsFacts.CacheNodeTypes.Exists("cache.r7g.larg"));
        Assert.True(AwsFacts.RdsInstanceClasses.IsOfferedIn("db.r6g.large", "us-east-1"));
        Assert.True(AwsFacts.RdsInstanceClasses.IsOfferedIn("db.t4g.micro", "us-east-1"));
        Assert.False(AwsFacts.RdsInstanceClasses.Exists("db.r6g.larg"));
        Assert.True(AwsFacts.MqInstanceTypes.IsOfferedIn("mq.m5.large", "us-east-1"));
        Assert.True(AwsFacts.OpenSearchInstanceTypes.IsOfferedIn("r6g.large.search", "us-east-1"));
        Assert.True(AwsFacts.OpenSearchInstanceTypes.IsOfferedIn("m6g.large.search", "us-east-1"));
    }

    [Fact]
    public void EveryRegionNamedByACatalogIsARegionWithZones()
    {
        foreach (var file in new[] { "ec2-instance-types.json", "cache-node-types.json", "mq-instance-types.json", "opensearch-instance-types.json", "rds-instance-classes.json" })
        {
            var data = Json($"components/Facts/{file}");
            Assert.NotEmpty(data["types"]!.AsObject());
            foreach (var (_, entry) in data["types"]!.AsObject())
                foreach (var key in new[] { "regions", "notIn" })
                    if (entry![key] is JsonArray regions)
                        Assert.All(regions, r => Assert.True(AwsFacts.IsRegion(r!.GetValue<string>()), $"{file}: {r}"));
        }
    }

    [Theory]
    [InlineData("m7g.large")]
    [InlineData("t4g.micro")]
    [InlineData("a1.large")]
    [InlineData("c7gn.xlarge")]
    [InlineData("r8g.large")]
    [InlineData("m6i.large")]
    [InlineData("t3.small")]
    [InlineData("m7i-flex.large")]
    [InlineData("c5.xlarge")]
    public void TheStoredArchitectureIsTheCdksOwn(string type)
    {
        var cdk = new Amazon.CDK.AWS.EC2.InstanceType(type).Architecture == Amazon.CDK.AWS.EC2.InstanceArchitecture.ARM_64 ? "arm64" : "x86_64";
        Assert.Equal(cdk, AwsFacts.Ec2InstanceTypes.ArchitectureOf(type));
    }

    [Fact]
    public void EngineVersionsAndTimeZonesHoldKnownValues()
    {
        Assert.Contains("16.4", AwsFacts.PostgresVersions);
        Assert.Contains("7.1", AwsFacts.RedisVersions);
        Assert.DoesNotContain("7.9", AwsFacts.RedisVersions);
        Assert.Contains("3.13", AwsFacts.RabbitMqVersions);
        Assert.Contains("3.6.0", AwsFacts.KafkaVersions);
        Assert.Contains("kafka.m5.large", AwsFacts.MskBrokerTypes);
        Assert.Contains("Europe/Berlin", AwsFacts.TimeZones);
        Assert.Contains("Etc/UTC", AwsFacts.TimeZones);
        Assert.DoesNotContain("UTC", AwsFacts.TimeZones);
    }

    [Theory]
    [InlineData("m5.larg", "m5.large")]
    [InlineData("Berlin", "Europe/Berlin")]
    [InlineData("UTC", "Etc/UTC")]
    [InlineData("3.6.1", "3.6.0")]
    [InlineData("eu-wset-1", "eu-west-1")]
    public void TheClosestMatchIsTheOneATypoMeant(string typo, string meant)
    {
        var candidates = new[] { "m5.large", "m5.xlarge", "m6i.large", "Europe/Berlin", "Europe/Bern", "Etc/UTC", "EST", "3.5.1", "3.6.0", "eu-west-1", "eu-west-2" };
        Assert.Equal(meant, AwsFacts.ClosestMatch(typo, candidates));
    }

    [Fact]
    public void NothingCloseIsNoMatch() => Assert.Null(AwsFacts.ClosestMatch("huge", ["m5.large", "t3.small"]));
}

/// <summary>EC2 Auto Scaling's cron: what it accepts and what it rejects, with the message.</summary>
public sealed class RecurrenceTests
{
    [Theory]
    [InlineData("0 1 * * *")]
    [InlineData("*/15 * * * *")]
    [InlineData("0 6-22/2 * * 1-5")]
    [InlineData("30 7 1,15 jan-jun mon,wed,FRI")]
    [InlineData("0 0 * * 7")]
    [InlineData("59 23 31 12 0")]
    public void AcceptsTraditionalCron(string cron) => Assert.Null(Recurrence.Problem(cron));

    [Theory]
    [InlineData("0 1 * *", "must have 5 fields: minute hour day-of-month month day-of-week")]
    [InlineData("0 1 * * * 2027", "must have 5 fields")]
    [InlineData("60 1 * * *", "minute '60' must be * or a whole number from 0 to 59")]
    [InlineData("0 24 * * *", "hour '24' must be * or a whole number from 0 to 23")]
    [InlineData("0 1 0 * *", "day-of-month '0' must be * or a whole number from 1 to 31")]
    [InlineData("0 1 ? * MON", "day-of-month '?' must be")]
    [InlineData("0 1 L * *", "day-of-month 'L' must be")]
    [InlineData("0 1 * 13 *", "month '13' must be * , a whole number from 1 to 12 or one of jan")]
    [InlineData("0 1 * * 8", "day-of-week '8' must be * , a whole number from 0 to 7 or one of sun")]
    [InlineData("0 1 * * MON#2", "day-of-week 'MON#2' must be")]
    [InlineData("0 22-6 * * *", "hour '22-6' is a range from 22 down to 6; write the smaller value first")]
    [InlineData("*/0 * * * *", "minute '*/0' has step '0', which must be a whole number from 1 to 59")]
    [InlineData("5/10 * * * *", "minute '5/10' must step over * or a range a-b")]
    [InlineData("0,,5 * * * *", "minute '0,,5' has an empty list item")]
    public void RejectsWhatAutoScalingRejects(string cron, string expected) => Assert.Contains(expected, Recurrence.Problem(cron));

    [Fact]
    public void TimeZonesAreCanonicalIanaNames()
    {
        Assert.Null(Recurrence.TimeZoneProblem("Europe/Berlin"));
        Assert.EndsWith("; did you mean Etc/UTC?", Recurrence.TimeZoneProblem("UTC"));
    }
}

/// <summary>The components' own Validate rejects values that do not exist, for library users who bypass the environment files.</summary>
public sealed class ComponentFactsValidationTests
{
    [Fact]
    public void ACacheNodeTypeThatDoesNotExistIsNamedWithTheClosestOne() =>
        Assert.Equal("NodeType = cache.r7g.larg is not an ElastiCache node type in any region; did you mean cache.r7g.large?",
            Assert.Throws<PropsValidationException>(() => RedisCluster.Validate(new RedisClusterSettings { NodeType = "cache.r7g.larg" })).Detail);

    [Fact]
    public void ABrokerTypeThatDoesNotExistIsNamedWithTheClosestOne() =>
        Assert.Equal("InstanceType = mq.m5.larg is not an Amazon MQ for RabbitMQ broker instance type in any region; did you mean mq.m5.large?",
            Assert.Throws<PropsValidationException>(() => RabbitMqBroker.Validate(new RabbitMqBrokerSettings { InstanceType = "mq.m5.larg" })).Detail);

    [Fact]
    public void AKafkaVersionWithTheXSuffixIsAccepted() =>
        KafkaCluster.Validate(new KafkaClusterSettings { InstanceType = "kafka.m5.large", BrokerNodes = 3, KafkaVersion = "3.8.x" }, 3);
}
