using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using LoggingConfig = ScalableBackend.Stacks.Config.LoggingConfig;
using Constructs;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Observability;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// <c>Backend-&lt;Env&gt;-Platform</c>: what everything else stands on and what changes least — the network, the log
/// key, the central log pipeline (Firehose into OpenSearch and/or S3), the X-Ray sampling rule and the alarm topic.
/// Stateful (the archive bucket, the search domain, the keys): termination protection where the file asks.
/// </summary>
public sealed class PlatformStack : EnvironmentStack
{
    /// <summary>The key encrypting every log group of the environment.</summary>
    public IKey LogKey { get; }

    /// <summary>The network.</summary>
    public Network Network { get; }

    /// <summary>The central log pipeline; services and workers subscribe their log groups from their own stacks.</summary>
    public CentralLogging CentralLogging { get; }

    /// <summary>The environment's X-Ray sampling rule.</summary>
    public TraceSampling TraceSampling { get; }

    /// <summary>The alarm topic with its subscribers, and the search domain's alarms.</summary>
    public Monitoring Monitoring { get; }

    /// <summary>Builds the platform of <paramref name="definition"/>.</summary>
    public PlatformStack(Construct scope, EnvironmentDefinition definition)
        : base(scope, definition, StackRole.Platform, null, "platform: network, keys, log pipeline, alarm topic",
            definition.Config.TerminationProtection == true)
    {
        var config = definition.Config;
        var retention = LogRetention.FromDays(config.Logs.RetentionDays);
        LogKey = Network.CreateLogKey(this, "LogKey", $"{Env} environment");
        Network = new Network(this, "Network", new NetworkProps(config.Network)
        {
            FlowLogRetention = retention,
            LogEncryptionKey = LogKey,
        });

        var o = config.Observability ?? new ObservabilityConfig();
        var logging = o.Logging ?? new LoggingConfig { ArchiveOnly = true };
        CentralLogging = new CentralLogging(this, "Logging", new CentralLoggingProps(logging, Network.Vpc, LogKey, retention)
        {
            DomainName = logging.Search is null ? null : $"backend-{Env}-logs",
        });
        TraceSampling = new TraceSampling(this, "TraceSampling", new TraceSamplingProps(o.Sampling ?? new SamplingConfig(), $"backend-{Env}"));

        // The topic and its subscribers live here; every other stack's alarms import the topic.
        Monitoring = new Monitoring(this, "Monitoring", new MonitoringProps(o) { EnableDashboard = false });
        if (CentralLogging.Domain is { } domain)
            Monitoring.MonitorSearchDomain("logs", domain);

        var vpc = Network.Vpc;
        Export(Exports.VpcId, vpc.VpcId, "The VPC");
        Export(Exports.VpcCidr, vpc.VpcCidrBlock, "The VPC's CIDR block");
        foreach (var (tier, subnets) in Tiers(vpc))
            for (var i = 0; i < subnets.Length; i++)
            {
                Export(Exports.Subnet(tier, i), subnets[i].SubnetId, $"{tier} subnet in {subnets[i].AvailabilityZone}");
                Export(Exports.RouteTable(tier, i), subnets[i].RouteTable.RouteTableId, $"Route table of the {tier} subnet in {subnets[i].AvailabilityZone}");
            }
        Export(Exports.LogKeyArn, LogKey.KeyArn, "The key every log group of the environment is encrypted with");
        Export(Exports.AlarmTopicArn, Monitoring.AlarmTopic.TopicArn, "The alarm topic every alarm notifies");
        Export(Exports.LogStreamArn, CentralLogging.DeliveryStream.AttrArn, "The delivery stream log groups subscribe to");
        Export(Exports.LogSubscriptionRoleArn, CentralLogging.SubscriptionRole.RoleArn, "The role subscription filters put into the delivery stream with");
    }

    private static (string Tier, ISubnet[] Subnets)[] Tiers(IVpc vpc) =>
        [("Public", vpc.PublicSubnets), ("Private", vpc.PrivateSubnets), ("Isolated", vpc.IsolatedSubnets)];

    /// <summary>The export names of the platform stack (each prefixed with <c>Backend-&lt;Env&gt;-Platform:</c>).</summary>
    public static class Exports
    {
        /// <summary><c>VpcId</c>.</summary>
        public const string VpcId = "VpcId";
        /// <summary><c>VpcCidr</c>.</summary>
        public const string VpcCidr = "VpcCidr";
        /// <summary><c>LogKeyArn</c>.</summary>
        public const string LogKeyArn = "LogKeyArn";
        /// <summary><c>AlarmTopicArn</c>.</summary>
        public const string AlarmTopicArn = "AlarmTopicArn";
        /// <summary><c>LogStreamArn</c>: the central log delivery stream.</summary>
        public const string LogStreamArn = "LogStreamArn";
        /// <summary><c>LogSubscriptionRoleArn</c>.</summary>
        public const string LogSubscriptionRoleArn = "LogSubscriptionRoleArn";
        /// <summary><c>&lt;Tier&gt;Subnet&lt;n&gt;Id</c>, n from 1 in the order of <c>network.availabilityZones</c>.</summary>
        public static string Subnet(string tier, int index) => $"{tier}Subnet{index + 1}Id";
        /// <summary><c>&lt;Tier&gt;Subnet&lt;n&gt;RouteTableId</c>.</summary>
        public static string RouteTable(string tier, int index) => $"{tier}Subnet{index + 1}RouteTableId";
    }

    /// <summary>What a consumer stack imports from the platform, created in <paramref name="consumer"/>.</summary>
    internal static PlatformImports ImportInto(EnvironmentStack consumer)
    {
        var zones = consumer.Definition.Config.Network.AvailabilityZones;
        string[] Ids(string tier, Func<string, int, string> name) =>
            Enumerable.Range(0, zones.Count).Select(i => consumer.ImportValue(StackRole.Platform, name(tier, i))).ToArray();
        var vpc = Vpc.FromVpcAttributes(consumer, "Vpc", new VpcAttributes
        {
            VpcId = consumer.ImportValue(StackRole.Platform, Exports.VpcId),
            VpcCidrBlock = consumer.ImportValue(StackRole.Platform, Exports.VpcCidr),
            AvailabilityZones = zones.ToArray(),
            PublicSubnetIds = Ids("Public", Exports.Subnet),
            PublicSubnetRouteTableIds = Ids("Public", Exports.RouteTable),
            PrivateSubnetIds = Ids("Private", Exports.Subnet),
            PrivateSubnetRouteTableIds = Ids("Private", Exports.RouteTable),
            IsolatedSubnetIds = Ids("Isolated", Exports.Subnet),
            IsolatedSubnetRouteTableIds = Ids("Isolated", Exports.RouteTable),
        });
        return new PlatformImports(
            vpc,
            Key.FromKeyArn(consumer, "LogKey", consumer.ImportValue(StackRole.Platform, Exports.LogKeyArn)),
            Topic.FromTopicArn(consumer, "AlarmTopic", consumer.ImportValue(StackRole.Platform, Exports.AlarmTopicArn)),
            consumer.ImportValue(StackRole.Platform, Exports.LogStreamArn),
            consumer.ImportValue(StackRole.Platform, Exports.LogSubscriptionRoleArn));
    }
}

/// <summary>The platform as a consumer stack sees it: imported by export name, never by reference.</summary>
/// <param name="Vpc">The VPC with its subnets and route tables.</param>
/// <param name="LogKey">The log key.</param>
/// <param name="AlarmTopic">The alarm topic.</param>
/// <param name="LogStreamArn">The central log delivery stream.</param>
/// <param name="LogSubscriptionRoleArn">The role subscription filters use.</param>
internal sealed record PlatformImports(IVpc Vpc, IKey LogKey, ITopic AlarmTopic, string LogStreamArn, string LogSubscriptionRoleArn);
