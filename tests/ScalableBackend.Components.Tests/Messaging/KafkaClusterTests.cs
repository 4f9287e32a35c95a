using System.Text.Json.Nodes;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Messaging;

public sealed class KafkaClusterTests(KafkaFixture fixture) : IClassFixture<KafkaFixture>
{
    private JsonObject Cluster => fixture.Result.Properties("AWS::MSK::Cluster", "KafkaCluster");

    [Fact]
    public void SpreadsTheBrokersOverOneIsolatedSubnetPerZone()
    {
        Assert.Equal(4, (int)Cluster["NumberOfBrokerNodes"]!);
        var subnets = Cluster["BrokerNodeGroupInfo"]!["ClientSubnets"]!.AsArray();
        Assert.Equal(2, subnets.Count);
        Assert.All(subnets, s => Assert.Contains("Isolated", s!.ToJsonString()));
        Assert.Equal("DISABLED", (string?)Cluster["BrokerNodeGroupInfo"]!["ConnectivityInfo"]!["PublicAccess"]!["Type"]);
    }

    [Fact]
    public void EncryptsInTransitAndAtRestWithACustomerManagedKey()
    {
        var encryption = Cluster["EncryptionInfo"]!;
        Assert.Equal("TLS", (string?)encryption["EncryptionInTransit"]!["ClientBroker"]);
        Assert.True((bool)encryption["EncryptionInTransit"]!["InCluster"]!);
        Assert.StartsWith("KafkaKey", (string?)encryption["EncryptionAtRest"]!["DataVolumeKMSKeyId"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void AuthenticatesClientsWithIamOnly()
    {
        Assert.True((bool)Cluster["ClientAuthentication"]!["Sasl"]!["Iam"]!["Enabled"]!);
        Assert.False((bool)Cluster["ClientAuthentication"]!["Unauthenticated"]!["Enabled"]!);
    }

    [Fact]
    public void LogsBrokersToAnEncryptedLogGroupWithRetention()
    {
        var logs = Cluster["LoggingInfo"]!["BrokerLogs"]!["CloudWatchLogs"]!;
        Assert.True((bool)logs["Enabled"]!);
        Assert.StartsWith("KafkaBrokerLogs", (string?)logs["LogGroup"]!["Ref"]);
        var group = fixture.Result.Properties("AWS::Logs::LogGroup", "KafkaBrokerLogs");
        Assert.Equal(30, (int)group["RetentionInDays"]!);
        Assert.StartsWith("NetworkFlowLogKey", (string?)group["KmsKeyId"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void GrowsStorageByTargetTrackingOnUtilization()
    {
        var target = fixture.Result.Properties("AWS::ApplicationAutoScaling::ScalableTarget", "KafkaStorageScalableTarget");
        Assert.Equal("kafka", (string?)target["ServiceNamespace"]);
        Assert.Equal("kafka:broker-storage:VolumeSize", (string?)target["ScalableDimension"]);
        Assert.Equal(100, (int)target["MinCapacity"]!);
        Assert.Equal(2000, (int)target["MaxCapacity"]!);
        var policy = fixture.Result.Properties("AWS::ApplicationAutoScaling::ScalingPolicy", "KafkaStorageScalingPolicy");
        var config = policy["TargetTrackingScalingPolicyConfiguration"]!;
        Assert.Equal(70, (int)config["TargetValue"]!);
        Assert.Equal("KafkaBrokerStorageUtilization", (string?)config["PredefinedMetricSpecification"]!["PredefinedMetricType"]);
        Assert.True((bool)config["DisableScaleIn"]!);
    }

    [Fact]
    public void AdmitsOnlyTheIamPortFromGrantedServices()
    {
        // The rule is the user's (under its security group); the cluster's group gets none of its own.
        Assert.DoesNotContain(fixture.Result.OfType("AWS::EC2::SecurityGroupIngress"), i => i.Id.StartsWith("Kafka", StringComparison.Ordinal));
        var rules = fixture.Result.OfType("AWS::EC2::SecurityGroupIngress").Where(i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("KafkaSecurityGroup")).ToList();
        Assert.Equal(["Api", "Reader", "Watcher"], rules.Select(r => r.Id[..r.Id.IndexOf("SecurityGroupKafkaIngress", StringComparison.Ordinal)]).Order());
        var (id, ingress) = rules.Single(r => r.Id.StartsWith("ApiSecurityGroupKafkaIngress", StringComparison.Ordinal));
        var rule = ingress["Properties"]!;
        Assert.Equal(9098, (int)rule["FromPort"]!);
        Assert.Equal(9098, (int)rule["ToPort"]!);
        Assert.StartsWith("ApiSecurityGroup", (string?)rule["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]);
    }

    // MSK's IAM access control names a topic arn:<partition>:kafka:<region>:<account>:topic/<cluster-name>/<cluster-uuid>/<topic>
    // (and a group group/…): the cluster's name and UUID are the second and third parts of its ARN.
    private static string Arn(string kind, string name) => $"arn:<AWS::Partition>:kafka:us-east-1:<AWS::AccountId>:{kind}/<?>/<?>/{name}";

    private JsonNode Statement(string role, string action) => fixture.Result.Statements(role).Single(s => s!.Actions().Contains(action))!;

    [Fact]
    public void GrantedServicesConnectToExactlyThisCluster()
    {
        var connect = Statement("ApiRole", "kafka-cluster:Connect");
        Assert.StartsWith("KafkaCluster", (string?)connect["Resource"]!["Fn::GetAtt"]![0]);
        Assert.Equal(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"], connect.Actions());
    }

    [Fact]
    public void AProducerWritesExactlyTheTopicsItProducesTo()
    {
        var write = Statement("ApiRole", "kafka-cluster:WriteData");
        Assert.Equal(["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], write.Actions());
        Assert.Equal([Arn("topic", "orders")], write.Resources());
    }

    [Fact]
    public void AConsumerReadsExactlyTheTopicsItConsumes()
    {
        var read = Statement("ApiRole", "kafka-cluster:ReadData");
        Assert.Equal(["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], read.Actions());
        Assert.Equal([Arn("topic", "payments")], read.Resources());
        Assert.Equal([Arn("topic", "orders")], Statement("ReaderRole", "kafka-cluster:ReadData").Resources());
    }

    [Fact]
    public void AConsumerJoinsExactlyItsNamedGroups()
    {
        var group = Statement("ApiRole", "kafka-cluster:AlterGroup");
        Assert.Equal(["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], group.Actions().Order());
        Assert.Equal([Arn("group", "api-payments")], group.Resources());
    }

    [Fact]
    public void NoGrantCoversAllTopicsOrGroups()
    {
        foreach (var role in new[] { "ApiRole", "ReaderRole", "WatcherRole" })
            Assert.All(fixture.Result.Statements(role), s => Assert.All(s!.Resources(), r => Assert.DoesNotContain("*", r)));
    }

    [Fact]
    public void AUserWithoutTopicsOnlyConnectsAndDescribesTheCluster()
    {
        var statement = Assert.Single(fixture.Result.Statements("WatcherRole"));
        Assert.Equal(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], statement!.Actions());
        Assert.DoesNotContain(fixture.Result.Statements("ReaderRole"), s => s!.Actions().Any(a => a is "kafka-cluster:WriteData" or "kafka-cluster:AlterGroup"));
    }
}

/// <summary>The cluster's validation messages; no synthesis.</summary>
public sealed class KafkaClusterValidationTests
{
    private static readonly KafkaClusterSettings Valid = new() { InstanceType = "kafka.m5.large", BrokerNodes = 3 };

    public static TheoryData<KafkaClusterSettings, int, string> Rows => new()
    {
        { Valid, 4, "Subnets = 4 zone(s) must span 2 or 3 availability zones" },
        { Valid with { InstanceType = "m5.large" }, 3, "InstanceType = m5.large must be a broker instance type such as kafka.m5.large" },
        { Valid with { BrokerNodes = 4 }, 3, "BrokerNodes = 4 must be a positive multiple of the number of zones (3)" },
        { Valid with { BrokerNodes = 0 }, 2, "BrokerNodes = 0 must be a positive multiple of the number of zones (2)" },
        { Valid with { KafkaVersion = "latest" }, 3, "KafkaVersion = latest must be an Apache Kafka version such as 3.6.0" },
        { Valid with { VolumeSizeGiB = 0 }, 3, "VolumeSizeGiB = 0 must be between 1 and 16384" },
        { Valid with { VolumeSizeGiB = 500, MaxVolumeSizeGiB = 500 }, 3, "MaxVolumeSizeGiB = 500 must be above volumeSizeGiB (500) and at most 16384" },
        { Valid with { StorageTargetUtilizationPercent = 90 }, 3, "StorageTargetUtilizationPercent = 90 must be between 10 and 80" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(KafkaClusterSettings settings, int zones, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => KafkaCluster.Validate(settings, zones)).Detail);

    [Fact]
    public void AcceptsTheDefaults() => KafkaCluster.Validate(Valid, 3);

    public static TheoryData<KafkaAccess, string> AccessRows => new()
    {
        { new KafkaAccess { Produces = ["orders", "orders/*"] }, "Produces[1] = orders/* must be 1-249 letters, digits, '.', '_' or '-' (Kafka's topic name rule), and not '.' or '..'" },
        { new KafkaAccess { Consumes = [""] }, "Consumes[0] =  must be 1-249 letters, digits, '.', '_' or '-' (Kafka's topic name rule), and not '.' or '..'" },
        { new KafkaAccess { Consumes = [".."] }, "Consumes[0] = .. must be 1-249 letters, digits, '.', '_' or '-' (Kafka's topic name rule), and not '.' or '..'" },
        { new KafkaAccess { Groups = [new string('g', 250)] }, $"Groups[0] = {new string('g', 250)} must be 1-249 letters, digits, '.', '_' or '-' (Kafka's topic name rule), and not '.' or '..'" },
    };

    [Theory]
    [MemberData(nameof(AccessRows))]
    public void RejectsTopicAndGroupNamesKafkaDoesNotAccept(KafkaAccess access, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => KafkaCluster.ValidateAccess(access)).Detail);

    [Theory]
    [InlineData("orders")]
    [InlineData("Orders.v2_dead-letter")]
    [InlineData("a")]
    public void AcceptsKafkaTopicNames(string name) => Assert.True(KafkaCluster.IsValidTopicName(name) && KafkaCluster.IsValidTopicName(new string('x', 249)));

    [Fact]
    public void RejectsALogRetentionCloudWatchLogsDoesNotAccept()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var error = Assert.Throws<PropsValidationException>(() =>
            new KafkaCluster(stack, "Kafka", new KafkaClusterProps(Valid with { BrokerNodes = 4 }, network.Vpc) { LogRetentionDays = 10 }));
        Assert.Equal("LogRetentionDays = 10 must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653", error.Detail);
    }
}
