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
        var (id, ingress) = Assert.Single(fixture.Result.OfType("AWS::EC2::SecurityGroupIngress"), i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("KafkaSecurityGroup"));
        Assert.StartsWith("ApiSecurityGroupKafkaIngress", id);
        var rule = ingress["Properties"]!;
        Assert.Equal(9098, (int)rule["FromPort"]!);
        Assert.Equal(9098, (int)rule["ToPort"]!);
        Assert.StartsWith("ApiSecurityGroup", (string?)rule["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void GrantedServicesConnectToExactlyThisCluster()
    {
        var statements = fixture.Result.Statements("ApiRole");
        var connect = statements.Single(s => s!.Actions().Contains("kafka-cluster:Connect"))!;
        Assert.StartsWith("KafkaCluster", (string?)connect["Resource"]!["Fn::GetAtt"]![0]);
        var data = statements.Single(s => s!.Actions().Contains("kafka-cluster:ReadData"))!;
        Assert.Contains(":topic/", data["Resource"]!.ToJsonString());
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString() == "\"*\"");
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

    [Fact]
    public void RejectsALogRetentionCloudWatchLogsDoesNotAccept()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var error = Assert.Throws<PropsValidationException>(() =>
            new KafkaCluster(stack, "Kafka", new KafkaClusterProps(Valid with { BrokerNodes = 4 }, network.Vpc) { LogRetentionDays = 10 }));
        Assert.Equal("LogRetentionDays = 10 must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653", error.Detail);
    }
}
