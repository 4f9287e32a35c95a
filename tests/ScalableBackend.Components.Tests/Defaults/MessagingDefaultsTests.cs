using System.Text.Json.Nodes;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// The messaging components built from their settings records with nothing optional set, so every documented
/// "Default: …" of MessageQueueSettings/Props, KafkaClusterSettings/Props and KafkaAccess (one service granted an empty
/// access), RabbitMqBrokerSettings/Props (a broker without users; MessagingMoreDefaultsTests has one with a user) and
/// EventBusProps (and the key each creates) is what lands in the template; synthesized once.
/// </summary>
public sealed class MessagingDefaultsFixture
{
    public Synthesized Result { get; }

    public MessagingDefaultsFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var plain = new MessageQueue(stack, "Plain", new MessageQueueProps());
        _ = new MessageQueue(stack, "Ordered", new MessageQueueProps { Fifo = true });
        var kafka = new KafkaCluster(stack, "Kafka", new KafkaClusterProps { Vpc = network.Vpc, InstanceType = "kafka.m5.large", BrokerNodes = 2 });
        var (group, role) = MessagingTestStacks.Service(stack, network.Vpc, "Reader");
        kafka.GrantConnect(new DataClient(group, role), new KafkaAccess());
        _ = new RabbitMqBroker(stack, "Rabbit", new RabbitMqBrokerProps { Vpc = network.Vpc, InstanceType = "mq.m5.large" });
        _ = new EventBus(stack, "Bus", new EventBusProps { Topics = new Dictionary<string, EventTopic> { ["order-placed"] = new() { Subscribers = [plain] } } });
        Result = Synthesized.Of(stack);
    }
}

public sealed class MessagingDefaultsTests(MessagingDefaultsFixture fixture) : IClassFixture<MessagingDefaultsFixture>
{
    private JsonObject Queue(string prefix) =>
        fixture.Result.OfType("AWS::SQS::Queue").Single(q => q.Id.StartsWith(prefix, StringComparison.Ordinal) && !q.Id.Contains("DeadLetter", StringComparison.Ordinal)).Resource["Properties"]!.AsObject();

    private JsonObject DeadLetters(string prefix) =>
        fixture.Result.OfType("AWS::SQS::Queue").Single(q => q.Id.StartsWith(prefix, StringComparison.Ordinal) && q.Id.Contains("DeadLetter", StringComparison.Ordinal)).Resource["Properties"]!.AsObject();

    private (string Id, JsonObject Resource) Key(string prefix) =>
        fixture.Result.OfType("AWS::KMS::Key").Single(k => k.Id.StartsWith(prefix + "Key", StringComparison.Ordinal));

    [Fact]
    public void A_queue_keeps_messages_4_days_by_default() =>
        Assert.Equal(4 * 24 * 3600, (int)Queue("Plain")["MessageRetentionPeriod"]!);

    [Fact]
    public void A_queues_visibility_timeout_defaults_to_the_consumer_timeout_of_30_seconds() =>
        Assert.Equal(30, (int)Queue("Plain")["VisibilityTimeout"]!);

    [Fact]
    public void A_message_moves_to_the_dead_letter_queue_after_5_receives_by_default() =>
        Assert.Equal(5, (int)Queue("Plain")["RedrivePolicy"]!["maxReceiveCount"]!);

    [Fact]
    public void A_queue_is_standard_by_default()
    {
        Assert.Null(Queue("Plain")["FifoQueue"]);
        Assert.Null(Queue("Plain")["ContentBasedDeduplication"]);
    }

    [Fact]
    public void A_fifo_queue_deduplicates_by_content_by_default()
    {
        Assert.True((bool)Queue("Ordered")["FifoQueue"]!);
        Assert.True((bool)Queue("Ordered")["ContentBasedDeduplication"]!);
    }

    [Fact]
    public void A_receive_long_polls_20_seconds_by_default() =>
        Assert.Equal(20, (int)Queue("Plain")["ReceiveMessageWaitTimeSeconds"]!);

    [Fact]
    public void The_dead_letter_queue_keeps_messages_14_days_by_default() =>
        Assert.Equal(14 * 24 * 3600, (int)DeadLetters("Plain")["MessageRetentionPeriod"]!);

    [Theory]
    [InlineData("Plain")]
    [InlineData("Kafka")]
    [InlineData("Rabbit")]
    [InlineData("Bus")]
    public void Each_component_creates_a_rotating_key_retained_on_delete_by_default(string prefix)
    {
        var (_, key) = Key(prefix);

        Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!);
        Assert.Equal("Retain", (string?)key["DeletionPolicy"]);
        Assert.Equal("Retain", (string?)key["UpdateReplacePolicy"]);
    }

    private JsonObject Kafka => fixture.Result.Single("AWS::MSK::Cluster");

    [Fact]
    public void Kafka_runs_version_3_6_0_by_default() =>
        Assert.Equal("3.6.0", (string?)Kafka["KafkaVersion"]);

    [Fact]
    public void Kafka_brokers_start_with_100_GiB_volumes_by_default() =>
        Assert.Equal(100, (int)Kafka["BrokerNodeGroupInfo"]!["StorageInfo"]!["EBSStorageInfo"]!["VolumeSize"]!);

    [Fact]
    public void Kafka_storage_grows_to_1000_GiB_holding_60_percent_by_default()
    {
        var target = fixture.Result.Single("AWS::ApplicationAutoScaling::ScalableTarget");
        var policy = fixture.Result.Single("AWS::ApplicationAutoScaling::ScalingPolicy");

        Assert.Equal(1000, (int)target["MaxCapacity"]!);
        Assert.Equal(60, (double)policy["TargetTrackingScalingPolicyConfiguration"]!["TargetValue"]!);
    }

    [Fact]
    public void Kafka_broker_logs_are_kept_365_days_by_default()
    {
        var group = fixture.Result.OfType("AWS::Logs::LogGroup").Single(g => g.Id.StartsWith("Kafka", StringComparison.Ordinal)).Resource["Properties"]!;

        Assert.Equal(365, (int)group["RetentionInDays"]!);
    }

    private JsonObject Rabbit => fixture.Result.Single("AWS::AmazonMQ::Broker");

    [Fact]
    public void Rabbit_is_a_multi_az_cluster_by_default() =>
        Assert.Equal("CLUSTER_MULTI_AZ", (string?)Rabbit["DeploymentMode"]);

    [Fact]
    public void Rabbit_runs_engine_3_13_by_default() =>
        Assert.Equal("3.13", (string?)Rabbit["EngineVersion"]);

    [Fact]
    public void Rabbits_maintenance_window_starts_sunday_03_00_utc_by_default()
    {
        var window = Rabbit["MaintenanceWindowStartTime"]!;

        Assert.Equal(("SUNDAY", "03:00", "UTC"), ((string?)window["DayOfWeek"], (string?)window["TimeOfDay"], (string?)window["TimeZone"]));
    }

    [Fact]
    public void Rabbits_administrator_is_broker_admin_by_default()
    {
        var secret = fixture.Result.OfType("AWS::SecretsManager::Secret").Single(s => s.Id.StartsWith("Rabbit", StringComparison.Ordinal)).Resource["Properties"]!;

        Assert.Contains("\"username\":\"broker-admin\"", (string?)secret["GenerateSecretString"]!["SecretStringTemplate"], StringComparison.Ordinal);
    }

    private string KeyId(string prefix) => Key(prefix).Id;

    private static string GetAttTarget(JsonNode? node) => (string)node!["Fn::GetAtt"]![0]!;

    private static IEnumerable<string> Refs(JsonNode? list) => list!.AsArray().Select(s => (string)s!["Ref"]!);

    [Fact]
    public void A_queue_and_its_dead_letter_queue_are_encrypted_with_the_queues_new_key_by_default()
    {
        Assert.Equal(KeyId("Plain"), GetAttTarget(Queue("Plain")["KmsMasterKeyId"]));
        Assert.Equal(KeyId("Plain"), GetAttTarget(DeadLetters("Plain")["KmsMasterKeyId"]));
    }

    [Fact]
    public void Kafka_brokers_use_one_isolated_subnet_per_zone_by_default()
    {
        var subnets = Refs(Kafka["BrokerNodeGroupInfo"]!["ClientSubnets"]).ToList();

        Assert.Equal(["NetworkVpcIsolatedSubnet1", "NetworkVpcIsolatedSubnet2"], subnets.Select(s => s[..25]));
    }

    [Fact]
    public void Kafka_data_volumes_are_encrypted_with_the_clusters_new_key_by_default() =>
        Assert.Equal(KeyId("Kafka"), GetAttTarget(Kafka["EncryptionInfo"]!["EncryptionAtRest"]!["DataVolumeKMSKeyId"]));

    [Fact]
    public void Kafka_broker_logs_are_encrypted_with_a_new_log_key_by_default()
    {
        var group = fixture.Result.OfType("AWS::Logs::LogGroup").Single(g => g.Id.StartsWith("Kafka", StringComparison.Ordinal)).Resource["Properties"]!;
        var logKey = GetAttTarget(group["KmsKeyId"]);

        Assert.StartsWith("KafkaLogKey", logKey, StringComparison.Ordinal);
        Assert.Contains("logs.", fixture.Result.Json["Resources"]![logKey]!["Properties"]!["KeyPolicy"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kafka_access_grants_connect_and_describe_cluster_only_by_default()
    {
        var statements = fixture.Result.Properties("AWS::IAM::Policy", "ReaderRole")["PolicyDocument"]!["Statement"]!.AsArray();

        var statement = Assert.Single(statements)!;
        Assert.Equal(["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], statement["Action"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(fixture.Result.OfType("AWS::MSK::Cluster").Single().Id, GetAttTarget(statement["Resource"]));
    }

    [Fact]
    public void Rabbit_runs_in_the_isolated_subnets_by_default() =>
        Assert.All(Refs(Rabbit["SubnetIds"]), s => Assert.StartsWith("NetworkVpcIsolatedSubnet", s, StringComparison.Ordinal));

    [Fact]
    public void Rabbits_credentials_are_encrypted_with_the_brokers_new_key_by_default()
    {
        var secret = fixture.Result.OfType("AWS::SecretsManager::Secret").Single(s => s.Id.StartsWith("Rabbit", StringComparison.Ordinal)).Resource["Properties"]!;

        Assert.Equal(KeyId("Rabbit"), GetAttTarget(secret["KmsKeyId"]));
    }

    [Fact]
    public void Rabbit_has_no_users_besides_the_administrator_by_default()
    {
        Assert.Single(Rabbit["Users"]!.AsArray());
        Assert.DoesNotContain(fixture.Result.Resources, r => r.Id.StartsWith("RabbitUser", StringComparison.Ordinal));
        Assert.Empty(fixture.Result.OfType("Custom::RabbitMqUser"));
    }

    [Fact]
    public void Event_topics_are_encrypted_with_the_buses_new_key_by_default()
    {
        var topic = fixture.Result.Properties("AWS::SNS::Topic", "BusTopicOrderPlaced");

        Assert.Equal(KeyId("Bus"), GetAttTarget(topic["KmsMasterKeyId"]));
    }
}
