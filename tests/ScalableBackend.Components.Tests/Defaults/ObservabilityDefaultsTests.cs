using System.Text.Json.Nodes;
using Amazon.CDK;
using AutoScalingGroup = Amazon.CDK.AWS.AutoScaling.AutoScalingGroup;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElastiCache;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.OpenSearchService;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.SQS;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Tests.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// The observability components built from their settings records with nothing optional set, in one stack: central
/// logging into a bare search domain (with a subscribed log group), into a zone-aware one with dedicated masters whose
/// archive expires within 30 days, and archive-only (Cold); an encrypted log group; a CloudWatch agent configuration granted
/// to a role; a sampling rule; and monitoring of one of each component kind (the cheapest stand-ins that carry the
/// metrics) without threshold overrides. Every documented "Default: …" of CentralLoggingSettings/Props,
/// LogSearchDomain, CloudWatchAgentSettings/Props, AlarmThresholds, MonitoringSettings/Props,
/// TraceSamplingSettings/Props and EncryptedLogGroupProps is what lands in the template; synthesized once.
/// </summary>
public sealed class ObservabilityDefaultsFixture
{
    public Synthesized Result { get; }

    public ObservabilityDefaultsFixture()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        var logKey = Network.CreateLogKey(stack, "LogKey", "test");
        var retention = RetentionDays.ONE_MONTH;

        var logging = new CentralLogging(stack, "Logging", new CentralLoggingProps { Vpc = vpc, LogEncryptionKey = logKey, LogRetention = retention, Search = new LogSearchDomain() });
        _ = new CentralLogging(stack, "Spread", new CentralLoggingProps
        {
            Vpc = vpc, LogEncryptionKey = logKey, LogRetention = retention, ArchiveExpirationDays = 20,
            Search = new LogSearchDomain { ZoneAwareness = true, DedicatedMasters = true },
        });
        _ = new CentralLogging(stack, "Cold", new CentralLoggingProps { Vpc = vpc, LogEncryptionKey = logKey, LogRetention = retention, ArchiveOnly = true });
        var group = EncryptedLogGroup.Create(stack, "Plain", new EncryptedLogGroupProps { EncryptionKey = logKey, Retention = retention });
        logging.Subscribe("plain", group);

        var agent = new CloudWatchAgentConfig(stack, "Agent", new CloudWatchAgentConfigProps { ServiceName = "api", LogEncryptionKey = logKey, LogRetention = retention });
        agent.Grant(new Role(stack, "AgentRole", new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") }));

        _ = new TraceSampling(stack, "Sampling", new TraceSamplingProps { RuleName = "defaults" });

        var monitoring = new Monitoring(stack, "Monitoring", new MonitoringProps());
        var balancer = new ApplicationLoadBalancer(stack, "Balancer", new ApplicationLoadBalancerProps { Vpc = vpc });
        var targets = new ApplicationTargetGroup(stack, "Targets", new ApplicationTargetGroupProps { Vpc = vpc, Port = 80, TargetType = TargetType.INSTANCE });
        balancer.AddListener("Listener", new BaseApplicationListenerProps { Port = 80, DefaultTargetGroups = [targets] });
        var instances = AutoScalingGroup.FromAutoScalingGroupName(stack, "Instances", "instances");
        var cache = new CfnReplicationGroup(stack, "Cache", new CfnReplicationGroupProps
        {
            ReplicationGroupDescription = "stand-in", Engine = "redis", CacheNodeType = "cache.t4g.micro", NumNodeGroups = 1, ReplicasPerNodeGroup = 1,
        });
        IDatabaseInstance Instance(string id) => DatabaseInstance.FromDatabaseInstanceAttributes(stack, id, new DatabaseInstanceAttributes
        {
            InstanceIdentifier = id.ToLowerInvariant(), InstanceEndpointAddress = "db.example.com", Port = 5432, SecurityGroups = [],
        });
        var queue = Queue.FromQueueArn(stack, "Queue", "arn:aws:sqs:us-east-1:123456789012:orders");
        var deadLetters = Queue.FromQueueArn(stack, "DeadLetters", "arn:aws:sqs:us-east-1:123456789012:orders-dlq");
        var domain = Domain.FromDomainAttributes(stack, "Search", new DomainAttributes
        {
            DomainArn = "arn:aws:es:us-east-1:123456789012:domain/logs", DomainEndpoint = "https://vpc-logs-abc.us-east-1.es.amazonaws.com",
        });
        monitoring.MonitorLoadBalancer("shared", balancer);
        monitoring.MonitorService("api", targets, instances);
        monitoring.MonitorWorker("jobs", instances);
        monitoring.MonitorCache("main", cache);
        monitoring.MonitorDatabaseShard("one", Instance("Writer"), [Instance("Replica")]);
        monitoring.MonitorQueue("orders", queue, deadLetters);
        monitoring.MonitorSearchDomain("logs", domain);

        Result = Synthesized.Of(stack);
    }
}

public sealed class ObservabilityDefaultsTests(ObservabilityDefaultsFixture fixture) : IClassFixture<ObservabilityDefaultsFixture>
{
    private (string Id, JsonObject Resource) Of(string type, string prefix) => fixture.Result.ById(type, prefix);

    private JsonObject Props(string type, string prefix) => fixture.Result.Props(type, prefix);

    private JsonObject Cluster(string prefix) => Props("AWS::OpenSearchService::Domain", prefix)["ClusterConfig"]!.AsObject();

    private JsonObject Lifecycle(string bucket) =>
        Props("AWS::S3::Bucket", bucket)["LifecycleConfiguration"]!["Rules"]!.AsArray().Single(r => (string?)r!["Id"] == "ArchiveLifecycle")!.AsObject();

    private static IEnumerable<string> Refs(JsonNode? list) => list!.AsArray().Select(s => (string)s!["Ref"]!);

    private JsonObject AgentConfiguration => JsonNode.Parse(TemplateText.Flatten(Props("AWS::SSM::Parameter", "AgentParameter")["Value"]))!.AsObject();

    private JsonArray AgentStatements => Props("AWS::IAM::Policy", "AgentPolicy")["PolicyDocument"]!["Statement"]!.AsArray();

    private JsonObject Sampling => Props("AWS::XRay::SamplingRule", "Sampling")["SamplingRule"]!.AsObject();

    private double Threshold(string alarm) => (double)Props("AWS::CloudWatch::Alarm", "Monitoring" + alarm)["Threshold"]!;

    // CentralLogging and LogSearchDomain

    [Fact]
    public void Search_data_nodes_are_r6g_large_by_default()
    {
        Assert.Equal("r6g.large.search", (string?)Cluster("LoggingDomain")["InstanceType"]);
        Assert.Equal("r6g.large.search", (string?)Cluster("SpreadDomain")["InstanceType"]);
    }

    [Fact]
    public void A_search_domain_has_1_data_node_by_default_and_2_with_zone_awareness()
    {
        Assert.Equal(1, (int)Cluster("LoggingDomain")["InstanceCount"]!);
        Assert.Equal(2, (int)Cluster("SpreadDomain")["InstanceCount"]!);
        Assert.Equal(2, (int)Cluster("SpreadDomain")["ZoneAwarenessConfig"]!["AvailabilityZoneCount"]!);
    }

    [Fact]
    public void A_search_domain_has_no_dedicated_masters_by_default()
    {
        Assert.False((bool)Cluster("LoggingDomain")["DedicatedMasterEnabled"]!);
        Assert.Null(Cluster("LoggingDomain")["DedicatedMasterCount"]);
    }

    [Fact]
    public void Dedicated_masters_are_m6g_large_by_default() =>
        Assert.Equal((3, "m6g.large.search"), ((int)Cluster("SpreadDomain")["DedicatedMasterCount"]!, (string?)Cluster("SpreadDomain")["DedicatedMasterType"]));

    [Fact]
    public void A_search_domain_lives_in_one_zone_by_default()
    {
        Assert.False((bool)Cluster("LoggingDomain")["ZoneAwarenessEnabled"]!);
        Assert.Single(Props("AWS::OpenSearchService::Domain", "LoggingDomain")["VPCOptions"]!["SubnetIds"]!.AsArray());
    }

    [Fact]
    public void A_data_node_has_a_20_GiB_gp3_volume_by_default()
    {
        var ebs = Props("AWS::OpenSearchService::Domain", "LoggingDomain")["EBSOptions"]!;

        Assert.Equal((20, "gp3"), ((int)ebs["VolumeSize"]!, (string?)ebs["VolumeType"]));
    }

    [Fact]
    public void Without_a_search_domain_the_pipeline_must_be_archive_only_by_default()
    {
        var e = Assert.Throws<PropsValidationException>(() => CentralLogging.Validate(new CentralLoggingSettings()));

        Assert.Equal("Search", e.Path);
        CentralLogging.Validate(new CentralLoggingSettings { ArchiveOnly = true });
    }

    [Fact]
    public void A_search_pipeline_is_not_archive_only_by_default() =>
        Assert.NotNull(Props("AWS::KinesisFirehose::DeliveryStream", "LoggingDeliveryStream")["AmazonopensearchserviceDestinationConfiguration"]);

    [Fact]
    public void Archived_logs_move_to_standard_ia_after_30_days_by_default()
    {
        foreach (var bucket in new[] { "LoggingArchive", "ColdArchive" })
        {
            var transition = Lifecycle(bucket)["Transitions"]!.AsArray().Single()!;
            Assert.Equal(("STANDARD_IA", 30), ((string?)transition["StorageClass"], (int)transition["TransitionInDays"]!));
        }
    }

    [Fact]
    public void The_default_transition_is_skipped_when_the_archive_expires_within_30_days()
    {
        Assert.Equal(20, (int)Lifecycle("SpreadArchive")["ExpirationInDays"]!);
        Assert.Null(Lifecycle("SpreadArchive")["Transitions"]);
    }

    [Fact]
    public void Archived_logs_are_deleted_after_365_days_by_default()
    {
        Assert.Equal(365, (int)Lifecycle("LoggingArchive")["ExpirationInDays"]!);
        Assert.Equal(365, (int)Lifecycle("ColdArchive")["ExpirationInDays"]!);
    }

    [Fact]
    public void Validation_reads_an_unset_archive_expiration_as_365_days()
    {
        CentralLogging.Validate(new CentralLoggingSettings { ArchiveOnly = true, ArchiveTransitionDays = 364 });
        var e = Assert.Throws<PropsValidationException>(() => CentralLogging.Validate(new CentralLoggingSettings { ArchiveOnly = true, ArchiveTransitionDays = 365 }));

        Assert.Contains("below archiveExpirationDays (365)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Logging")]
    [InlineData("Cold")]
    public void The_pipeline_creates_a_rotating_key_retained_on_delete_by_default(string prefix)
    {
        var (id, key) = Of("AWS::KMS::Key", prefix + "Key");

        Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!);
        Assert.Equal("Retain", (string?)key["DeletionPolicy"]);
        Assert.Equal(id, (string?)Props("AWS::S3::Bucket", prefix + "Archive")["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["KMSMasterKeyID"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void The_search_domain_and_the_delivery_stream_use_the_isolated_subnets_by_default()
    {
        var domain = Refs(Props("AWS::OpenSearchService::Domain", "LoggingDomain")["VPCOptions"]!["SubnetIds"]).ToList();
        var stream = Refs(Props("AWS::KinesisFirehose::DeliveryStream", "LoggingDeliveryStream")["AmazonopensearchserviceDestinationConfiguration"]!["VpcConfiguration"]!["SubnetIds"]).ToList();

        Assert.Equal(2, stream.Count);
        Assert.All(domain.Concat(stream), s => Assert.StartsWith("VpcIsolatedSubnet", s, StringComparison.Ordinal));
    }

    [Fact]
    public void The_search_domain_is_named_after_its_construct_path_by_default() =>
        Assert.Matches("^ltestlogging[0-9a-f]{8}$", (string?)Props("AWS::OpenSearchService::Domain", "LoggingDomain")["DomainName"]);

    [Fact]
    public void Documents_go_into_daily_logs_indices_by_default()
    {
        var destination = Props("AWS::KinesisFirehose::DeliveryStream", "LoggingDeliveryStream")["AmazonopensearchserviceDestinationConfiguration"]!;

        Assert.Equal(("logs", "OneDay"), ((string?)destination["IndexName"], (string?)destination["IndexRotationPeriod"]));
    }

    [Fact]
    public void A_subscription_sends_every_event_by_default() =>
        Assert.Equal("", (string?)Props("AWS::Logs::SubscriptionFilter", "LoggingSubscriptionPlain")["FilterPattern"]);

    // EncryptedLogGroup

    [Fact]
    public void A_log_group_is_named_by_cloudformation_by_default() =>
        Assert.Null(Props("AWS::Logs::LogGroup", "Plain")["LogGroupName"]);

    [Fact]
    public void A_log_group_is_retained_on_delete_by_default()
    {
        var (_, group) = Of("AWS::Logs::LogGroup", "Plain");

        Assert.Equal(("Retain", "Retain"), ((string?)group["DeletionPolicy"], (string?)group["UpdateReplacePolicy"]));
    }

    // CloudWatchAgentConfig

    [Fact]
    public void The_agent_ships_var_log_app_by_default() =>
        Assert.Equal(["/var/log/app/*.log"], AgentConfiguration["logs"]!["logs_collected"]!["files"]!["collect_list"]!.AsArray().Select(f => (string)f!["file_path"]!));

    [Fact]
    public void The_agent_publishes_into_cwagent_by_default()
    {
        Assert.Equal("CWAgent", (string?)AgentConfiguration["metrics"]!["namespace"]);
        var publish = AgentStatements.Single(s => (string?)s!["Sid"] == "PublishAgentMetrics")!;
        Assert.Equal("CWAgent", (string?)publish["Condition"]!["StringEquals"]!["cloudwatch:namespace"]);
    }

    [Fact]
    public void The_agent_samples_every_60_seconds_by_default() =>
        Assert.Equal(60, (int)AgentConfiguration["agent"]!["metrics_collection_interval"]!);

    [Fact]
    public void The_agent_forwards_xray_segments_by_default()
    {
        Assert.Equal("127.0.0.1:2000", (string?)AgentConfiguration["traces"]!["traces_collected"]!["xray"]!["bind_address"]);
        Assert.Contains(AgentStatements, s => (string?)s!["Sid"] == "SendTraces");
    }

    [Fact]
    public void The_agent_listens_for_statsd_by_default() =>
        Assert.Equal("127.0.0.1:8125", (string?)AgentConfiguration["metrics"]!["metrics_collected"]!["statsd"]!["service_address"]);

    [Fact]
    public void The_agents_log_group_and_parameter_are_named_by_cloudformation_by_default()
    {
        Assert.Null(Props("AWS::Logs::LogGroup", "AgentLogGroup")["LogGroupName"]);
        Assert.Null(Props("AWS::SSM::Parameter", "AgentParameter")["Name"]);
    }

    [Fact]
    public void The_application_may_publish_into_no_namespace_of_its_own_by_default()
    {
        var publish = AgentStatements.Single(s => (string?)s!["Sid"] == "PublishAgentMetrics")!;

        Assert.IsAssignableFrom<JsonValue>(publish["Condition"]!["StringEquals"]!["cloudwatch:namespace"]);
    }

    // TraceSampling

    [Fact]
    public void Sampling_traces_5_percent_beyond_the_reservoir_by_default() =>
        Assert.Equal(0.05, (double)Sampling["FixedRate"]!);

    [Fact]
    public void Sampling_traces_1_request_per_second_first_by_default() =>
        Assert.Equal(1, (int)Sampling["ReservoirSize"]!);

    [Fact]
    public void A_sampling_rule_has_priority_1000_by_default() =>
        Assert.Equal(1000, (int)Sampling["Priority"]!);

    [Fact]
    public void A_sampling_rule_matches_every_service_by_default() =>
        Assert.Equal("*", (string?)Sampling["ServiceName"]);

    // Monitoring and AlarmThresholds

    [Theory]
    [InlineData("LoadBalancerSharedServerErrorRate", 5)]
    [InlineData("ServiceApiP99ResponseTime", 2)]
    [InlineData("ServiceApiUnhealthyHosts", 1)]
    [InlineData("ServiceApiCpu", 80)]
    [InlineData("WorkerJobsCpu", 80)]
    [InlineData("CacheMainShard0001Cpu", 80)]
    [InlineData("CacheMainShard0001Memory", 80)]
    [InlineData("CacheMainShard0001Evictions", 1000)]
    [InlineData("CacheMainShard0001ReplicationLag", 30)]
    [InlineData("DatabaseOneCpu", 80)]
    [InlineData("DatabaseOneFreeStorage", 5.0 * 1024 * 1024 * 1024)]
    [InlineData("DatabaseOneConnections", 400)]
    [InlineData("DatabaseOneReplica1Lag", 60)]
    [InlineData("QueueOrdersOldestMessageAge", 300)]
    [InlineData("QueueOrdersDeadLetters", 1)]
    [InlineData("SearchLogsFreeStorage", 5.0 * 1024)]
    public void An_alarm_fires_at_its_documented_default_threshold(string alarm, double threshold) =>
        Assert.Equal(threshold, Threshold(alarm));

    [Fact]
    public void The_alarm_topic_has_no_subscribers_by_default() =>
        Assert.Empty(fixture.Result.OfType("AWS::SNS::Subscription"));

    [Fact]
    public void Monitoring_creates_a_dashboard_named_by_cloudformation_by_default() =>
        Assert.Null(Props("AWS::CloudWatch::Dashboard", "MonitoringDashboard")["DashboardName"]);

    [Fact]
    public void The_alarm_topic_is_new_encrypted_and_tls_only_by_default()
    {
        var (keyId, _) = Of("AWS::KMS::Key", "MonitoringTopicKey");
        var topic = Props("AWS::SNS::Topic", "MonitoringAlarmTopic");
        var policy = Props("AWS::SNS::TopicPolicy", "MonitoringAlarmTopic").ToJsonString();

        Assert.Equal(keyId, (string?)topic["KmsMasterKeyId"]!["Fn::GetAtt"]![0]);
        Assert.Contains("\"aws:SecureTransport\":\"false\"", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void The_topic_key_rotates_and_lets_cloudwatch_alarms_use_it_by_default()
    {
        var (_, key) = Of("AWS::KMS::Key", "MonitoringTopicKey");
        var statements = key["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray();

        Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!);
        Assert.Contains(statements, s => (string?)s!["Sid"] == "AllowCloudWatchAlarms" && (string?)s["Principal"]!["Service"] == "cloudwatch.amazonaws.com");
    }
}
