using System.Text.Json.Nodes;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Adding a service or changing a size must never rename or replace what already exists.</summary>
public sealed class StableIdentityTests
{
    private const string ThirdService = """
          worker:
            instanceType: t3.small
            routing:
              priority: 5
              pathPatterns: ["/jobs/*"]
            minCapacity: 1
            maxCapacity: 2
        """;

    private static EnvironmentTemplates Synthesize(string yaml) =>
        Synth.Environment(EnvironmentLoader.Parse("dev", "stacks/dev.yaml", yaml));

    [Fact]
    public void AddingAThirdServiceLeavesTheFirstTwoServicesUntouched()
    {
        var before = Synthesize(ConfigValidationTests.Valid);
        // The new service sorts first by name and takes the lowest priority: neither may shift the others.
        var after = Synthesize(ConfigValidationTests.Valid + "\n" + ThirdService);

        foreach (var key in new[] { "api", "web" })
        {
            var old = before.Service(key).Resources.ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
            var now = after.Service(key).Resources.ToDictionary(r => r.Id, r => (JsonNode)r.Resource);
            Assert.NotEmpty(old);
            Assert.Equal(old.Keys.Order(), now.Keys.Order());
            foreach (var (id, resource) in old)
                Assert.True(JsonNode.DeepEquals(resource, now[id]), $"{before.Service(key).Name}/{id} changed when a third service was added");
            Assert.Equal(before.Service(key).Json.ToJsonString(), after.Service(key).Json.ToJsonString());
        }
        Assert.NotEmpty(after.Service("worker").Resources);
        // Everything that existed before still exists under the same id in the same stack.
        Assert.Empty(before.QualifiedResources.Keys.Except(after.QualifiedResources.Keys));
        // The producers never learn of the new consumer.
        foreach (var stack in before.Stacks.Where(s => s.Identity.Role is StackRole.Platform or StackRole.Data or StackRole.Edge))
            Assert.Equal(File.ReadAllBytes(stack.Path), File.ReadAllBytes(after.Stack(stack.Identity.Role).Path));
    }
}

/// <summary>
/// The layout is frozen: every stateful resource of prod keeps its stack and logical id from now on. A change to this
/// list moves or renames data — on a deployed environment that is a delete and a create.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class StatefulIdentityTests(EnvironmentFixture environments)
{
    /// <summary>Resource types that hold data or keys; replacing one loses what it holds.</summary>
    public static readonly IReadOnlySet<string> StatefulTypes = new HashSet<string>
    {
        "AWS::RDS::DBInstance", "AWS::ElastiCache::ReplicationGroup", "AWS::SQS::Queue", "AWS::Logs::LogGroup", "AWS::S3::Bucket",
        "AWS::OpenSearchService::Domain", "AWS::KMS::Key", "AWS::MSK::Cluster", "AWS::AmazonMQ::Broker", "AWS::SecretsManager::Secret",
        "AWS::Cognito::UserPool",
        // Not data, but identity-bound: a renamed per-shard users resource is created anew and the old one deleted,
        // and deleting revokes every user's login.
        Components.Data.DatabaseUsers.ResourceType,
    };

    /// <summary>Prod's stateful resources as (stack/logical id), pinned.</summary>
    public static readonly IReadOnlyList<string> ProdStateful =
    [
        "Backend-Prod-Data/CacheKeyCDF9DE27",
        "Backend-Prod-Data/CacheReplicationGroupBFE59FF3",
        "Backend-Prod-Data/DatabaseKey5E5D9547",
        "Backend-Prod-Data/DatabaseShard1InstancePostgresqlLogBCC78070",
        "Backend-Prod-Data/DatabaseShard1InstanceUpgradeLogBAE84574",
        "Backend-Prod-Data/BackendProdDataDatabaseShard1InstanceSecretC7624C713fdaad7efa858a3daf9490cf0a702aeb",
        "Backend-Prod-Data/DatabaseShard1Instance3FD8203D",
        "Backend-Prod-Data/DatabaseShard1Replica1PostgresqlLog539C12A4",
        "Backend-Prod-Data/DatabaseShard1Replica1UpgradeLogBE8BFCC0",
        "Backend-Prod-Data/DatabaseShard1Replica1CC61A844",
        "Backend-Prod-Data/DatabaseShard2InstancePostgresqlLogC8251E9F",
        "Backend-Prod-Data/DatabaseShard2InstanceUpgradeLog3AC0FC34",
        "Backend-Prod-Data/BackendProdDataDatabaseShard2InstanceSecretC4CB80F03fdaad7efa858a3daf9490cf0a702aeb",
        "Backend-Prod-Data/DatabaseShard2Instance20DB3E54",
        "Backend-Prod-Data/DatabaseShard3InstancePostgresqlLog5A639A87",
        "Backend-Prod-Data/DatabaseShard3InstanceUpgradeLog860D565B",
        "Backend-Prod-Data/BackendProdDataDatabaseShard3InstanceSecret952902F83fdaad7efa858a3daf9490cf0a702aeb",
        "Backend-Prod-Data/DatabaseShard3InstanceFB63492D",
        "Backend-Prod-Data/DatabaseShard4InstancePostgresqlLog716E7DBE",
        "Backend-Prod-Data/DatabaseShard4InstanceUpgradeLog62CF151E",
        "Backend-Prod-Data/BackendProdDataDatabaseShard4InstanceSecret9513C3493fdaad7efa858a3daf9490cf0a702aeb",
        "Backend-Prod-Data/DatabaseShard4Instance55BB7591",
        "Backend-Prod-Data/QueueBillingKey0E84FD0E",
        "Backend-Prod-Data/QueueBillingDeadLetterQueueB31BA25D",
        "Backend-Prod-Data/QueueBillingQueue158F9207",
        "Backend-Prod-Data/QueueShippingKey65CED928",
        "Backend-Prod-Data/QueueShippingDeadLetterQueue7669D195",
        "Backend-Prod-Data/QueueShippingQueueF8466B2E",
        "Backend-Prod-Data/DatabaseShard1UsersCB7739A8",
        "Backend-Prod-Data/DatabaseShard2UsersAE1329F9",
        "Backend-Prod-Data/DatabaseShard3Users1CF3983E",
        "Backend-Prod-Data/DatabaseShard4Users04FA35DF",
        "Backend-Prod-Data/DatabaseUsersLogs1AF8E279",
        "Backend-Prod-Data/EventsKey1BC2C457",
        "Backend-Prod-Data/RabbitMqKeyE7946A31",
        "Backend-Prod-Data/RabbitMqUserApiCredentials73CB7B76",
        "Backend-Prod-Data/RabbitMqUserProvisionerLogsBCBEB34E",
        "Backend-Prod-Data/RabbitMqUserShippingCredentials04357326",
        "Backend-Prod-Data/RabbitMqCredentials08C074E9",
        "Backend-Prod-Data/RabbitMqGeneralLogsHandlerLogs72804D8D",
        "Backend-Prod-Data/RabbitMqBroker1E5EDA58",
        "Backend-Prod-Data/KafkaKey6F570603",
        "Backend-Prod-Data/KafkaBrokerLogsD032A934",
        "Backend-Prod-Data/KafkaCluster21A1BE89",
        "Backend-Prod-Edge/LoadBalancerAccessLogsB27DFC85",
        "Backend-Prod-Edge/LoadBalancerFirewallLogs8C1BDEF2",
        "Backend-Prod-Edge/OriginSecret9A421E71",
        "Backend-Prod-Edge/UsersUserPool7E610616",
        "Backend-Prod-Edge/ApiAccessLogs50B185DB",
        "Backend-Prod-Edge/FirewallLogs7FB06776",
        "Backend-Prod-Platform/LogKeyE83D0C1B",
        "Backend-Prod-Platform/NetworkFlowLogs2BEC3212",
        "Backend-Prod-Platform/LoggingKeyA95093AC",
        "Backend-Prod-Platform/LoggingSplitterLogsAE9D4576",
        "Backend-Prod-Platform/LoggingArchive97CC2AF8",
        "Backend-Prod-Platform/LoggingDeliveryLogs8EE625BD",
        "Backend-Prod-Platform/LoggingDomainMasterUser33C0B59C",
        "Backend-Prod-Platform/LoggingDomainABCD8B88",
        "Backend-Prod-Platform/LoggingDomainAuditLogsA2D983B7",
        "Backend-Prod-Platform/LoggingDomainSlowLogsF6F938F6",
        "Backend-Prod-Platform/LoggingServerAccessLogsA938EFF6",
        "Backend-Prod-Platform/MonitoringTopicKey423AF5B2",
        "Backend-Prod-Service-Api/ServiceApiAgentLogGroup9038337F",
        "Backend-Prod-Service-Web/ServiceWebAgentLogGroup9F467A1C",
        "Backend-Prod-Worker-Billing/WorkerBillingAgentLogGroup6F677E1C",
        "Backend-Prod-Worker-Shipping/WorkerShippingAgentLogGroupAF786EB8",
    ];

    /// <summary>The stateful resources of <paramref name="env"/>, keyed <c>stack/logical id</c>.</summary>
    public static Dictionary<string, JsonNode> Stateful(EnvironmentTemplates env) =>
        env.AllResources.Where(r => StatefulTypes.Contains((string)r.Resource["Type"]!))
            .ToDictionary(r => $"{r.Stack.Name}/{r.Id}", r => (JsonNode)r.Resource);

    [Fact]
    public void EveryStatefulResourceOfProdIsPinnedToItsStackAndLogicalId() =>
        Assert.Equal(ProdStateful.Order(StringComparer.Ordinal), Stateful(environments.Prod).Keys.Order(StringComparer.Ordinal));
}
