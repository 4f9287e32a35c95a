using System.Text.Json.Nodes;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Asynchronous processing in the synthesized environments (each synthesized once by the shared fixture).</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class MessagingTests(EnvironmentFixture environments)
{
    private static JsonObject Props(JsonObject resource) => resource["Properties"]!.AsObject();

    private static List<(string Id, JsonObject Resource)> WorkQueues(EnvironmentTemplates env) =>
        env.Data.OfType("AWS::SQS::Queue").Where(q => q.Id.StartsWith("Queue", StringComparison.Ordinal) && !q.Id.Contains("DeadLetter")).ToList();

    [Fact]
    public void ProdHasAtLeastTwoQueuesEachWithADeadLetterQueueEncryptedAndTlsOnly()
    {
        var prod = environments.Prod;
        var queues = WorkQueues(prod);
        Assert.True(queues.Count >= 2);
        var policies = prod.Data.OfType("AWS::SQS::QueuePolicy").ToList();
        Assert.Equal(prod.OfType("AWS::SQS::Queue").Count(), prod.Data.OfType("AWS::SQS::Queue").Count());
        foreach (var (id, queue) in queues)
        {
            var redrive = Props(queue)["RedrivePolicy"]!;
            Assert.Contains("DeadLetterQueue", (string?)redrive["deadLetterTargetArn"]!["Fn::GetAtt"]![0]);
            Assert.NotNull(Props(queue)["KmsMasterKeyId"]);
            Assert.Contains(policies, p => p.Resource["Properties"]!["Queues"]!.ToJsonString().Contains(id)
                && p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Any(s =>
                    (string?)s!["Effect"] == "Deny" && s["Condition"]?["Bool"]?["aws:SecureTransport"]?.ToJsonString() == "\"false\""));
        }
    }

    [Fact]
    public void ProdFansTheOrderPlacedEventOutToTwoQueues()
    {
        var prod = environments.Prod;
        var topic = prod.Data.OfType("AWS::SNS::Topic").Single(t => t.Id.StartsWith("EventsTopicOrderPlaced", StringComparison.Ordinal));
        Assert.NotNull(Props(topic.Resource)["KmsMasterKeyId"]);
        var subscriptions = prod.Data.OfType("AWS::SNS::Subscription").Select(s => Props(s.Resource))
            .Where(s => (string?)s["TopicArn"]!["Ref"] == topic.Id).ToList();
        Assert.Equal(2, subscriptions.Count);
        Assert.All(subscriptions, s => Assert.True((bool)s["RawMessageDelivery"]!));
        Assert.Contains(prod.Data.OfType("AWS::SNS::TopicPolicy"), p => p.Resource["Properties"]!["Topics"]!.ToJsonString().Contains(topic.Id));
    }

    [Fact]
    public void ProdWorkersScaleOnBacklogPerInstanceWithMetricMath()
    {
        var policies = environments.Prod.Stacks.Where(s => s.Identity.Role == StackRole.Worker).SelectMany(s => s.OfType("AWS::AutoScaling::ScalingPolicy"))
            .Where(p => p.Id.StartsWith("Worker", StringComparison.Ordinal) && p.Id.Contains("BacklogPerInstance")).Select(p => Props(p.Resource)).ToList();
        Assert.Equal(2, policies.Count);
        foreach (var policy in policies)
        {
            var metrics = policy["TargetTrackingConfiguration"]!["CustomizedMetricSpecification"]!["Metrics"]!.AsArray();
            Assert.Contains(metrics, m => (string?)m!["MetricStat"]?["Metric"]?["MetricName"] == "ApproximateNumberOfMessagesVisible");
            Assert.Contains(metrics, m => (string?)m!["MetricStat"]?["Metric"]?["MetricName"] == "GroupInServiceInstances");
            Assert.Single(metrics, m => (bool)m!["ReturnData"]! && (string?)m["Expression"] == "m1 / m2");
        }
        // billing: 2 minutes of acceptable latency at 6 seconds a message.
        Assert.Contains(policies, p => (double)p["TargetTrackingConfiguration"]!["TargetValue"]! == 20);
    }

    [Fact]
    public void ProdHasAPrivateMultiAzRabbitMqCluster()
    {
        var broker = Props(environments.Prod.Data.OfType("AWS::AmazonMQ::Broker").Single().Resource);
        Assert.Equal("CLUSTER_MULTI_AZ", (string?)broker["DeploymentMode"]);
        Assert.False((bool)broker["PubliclyAccessible"]!);
        Assert.Contains("{{resolve:secretsmanager:", broker["Users"]![0]!["Password"]!.ToJsonString());
    }

    [Fact]
    public void ProdHasAnMskClusterWithTlsAndEncryptionAtRestOverThreeZones()
    {
        var cluster = Props(environments.Prod.Data.OfType("AWS::MSK::Cluster").Single().Resource);
        Assert.Equal("TLS", (string?)cluster["EncryptionInfo"]!["EncryptionInTransit"]!["ClientBroker"]);
        Assert.True((bool)cluster["EncryptionInfo"]!["EncryptionInTransit"]!["InCluster"]!);
        Assert.NotNull(cluster["EncryptionInfo"]!["EncryptionAtRest"]!["DataVolumeKMSKeyId"]);
        Assert.Equal(3, cluster["BrokerNodeGroupInfo"]!["ClientSubnets"]!.AsArray().Count);
        Assert.Single(environments.Prod.Data.OfType("AWS::ApplicationAutoScaling::ScalingPolicy"));
        Assert.Single(environments.Prod.OfType("AWS::ApplicationAutoScaling::ScalingPolicy"));
    }

    [Fact]
    public void BrokersAdmitOnlyTheirDeclaredUsers()
    {
        var ingress = environments.Prod.AllResources.Where(r => (string?)r.Resource["Type"] == "AWS::EC2::SecurityGroupIngress")
            .Where(i => Props(i.Resource)["FromPort"]?.ToJsonString() is "5671" or "9098").ToList();
        // rabbitmq: api, shipping; kafka: api, billing — each in its user's stack, into the broker's imported group.
        Assert.Equal(new[] { "Backend-Prod-Service-Api/5671", "Backend-Prod-Service-Api/9098", "Backend-Prod-Worker-Billing/9098", "Backend-Prod-Worker-Shipping/5671" },
            ingress.Select(i => $"{i.Stack.Name}/{Props(i.Resource)["FromPort"]}").Order());
        Assert.All(ingress, i => Assert.NotNull(Props(i.Resource)["SourceSecurityGroupId"]));
        Assert.All(ingress, i => Assert.Contains("Fn::ImportValue", Props(i.Resource)["GroupId"]!.ToJsonString()));
    }

    private IEnumerable<JsonNode> KafkaStatements(StackTemplate stack) =>
        stack.OfType("AWS::IAM::Policy").SelectMany(p => Props(p.Resource)["PolicyDocument"]!["Statement"]!.AsArray())
            .Where(s => s!["Action"]!.ToJsonString().Contains("kafka-cluster:", StringComparison.Ordinal))!;

    private static string[] Actions(JsonNode statement) =>
        statement["Action"] is JsonArray a ? a.Select(x => (string)x!).ToArray() : [(string)statement["Action"]!];

    // The last literal of an ARN joined from the cluster's ARN parts: "/<topic>" or "/<group>", after ":topic/" or ":group/".
    private static string Target(JsonNode statement)
    {
        var parts = Assert.Single(statement["Resource"] is JsonArray a ? a : new JsonArray(statement["Resource"]!.DeepClone()))!["Fn::Join"]![1]!.AsArray();
        var kind = parts.Select(p => p is JsonValue v ? (string)v! : "").Single(p => p.EndsWith(":topic/", StringComparison.Ordinal) || p.EndsWith(":group/", StringComparison.Ordinal));
        return $"{kind[(kind.LastIndexOf(':') + 1)..]}{((string)parts[^1]!).TrimStart('/')}";
    }

    [Fact]
    public void ProdKafkaUsersGetExactlyTheTopicsAndGroupsTheFileNames()
    {
        // order-events: producers [api], consumers [billing]; group billing: [billing].
        var api = KafkaStatements(environments.Prod.Service("api")).ToList();
        var billing = KafkaStatements(environments.Prod.Worker("billing")).ToList();
        Assert.Equal(["topic/order-events"], api.Where(s => Actions(s).Contains("kafka-cluster:WriteData")).Select(Target));
        Assert.DoesNotContain(api, s => Actions(s).Any(a => a is "kafka-cluster:ReadData" or "kafka-cluster:AlterGroup"));
        Assert.Equal(["topic/order-events"], billing.Where(s => Actions(s).Contains("kafka-cluster:ReadData")).Select(Target));
        Assert.Equal(["group/billing"], billing.Where(s => Actions(s).Contains("kafka-cluster:AlterGroup")).Select(Target));
        Assert.DoesNotContain(billing, s => Actions(s).Contains("kafka-cluster:WriteData"));
        Assert.All(api.Concat(billing), s => Assert.DoesNotContain("*", s["Resource"]!.ToJsonString()));
    }

    [Fact]
    public void EachRabbitMqUserReadsOnlyItsOwnSecretAndNoMemberReadsTheAdministrators()
    {
        foreach (var env in new[] { environments.Staging, environments.Prod })
        {
            var users = env.Definition.Config.Brokers!.Rabbitmq!.Users!;
            // One generated secret and one Custom::RabbitMqUser per user in the Data stack.
            Assert.Equal(users.Order(), env.Data.OfType("Custom::RabbitMqUser").Select(u => (string)Props(u.Resource)["Username"]!).Order());
            foreach (var member in env.Members)
            {
                var reads = member.OfType("AWS::IAM::Policy").SelectMany(p => Props(p.Resource)["PolicyDocument"]!["Statement"]!.AsArray())
                    .Where(s => s!["Action"]!.ToJsonString().Contains("secretsmanager:GetSecretValue")).Select(s => s!["Resource"]!.ToJsonString()).ToList();
                Assert.DoesNotContain(reads, r => r.Contains("RabbitMqCredentialsArn", StringComparison.Ordinal));
                var rabbit = reads.Where(r => r.Contains("RabbitMqUser", StringComparison.Ordinal)).ToList();
                if (users.Contains(member.Identity.Key!))
                    Assert.Equal([$"{{\"Fn::ImportValue\":\"{env.Data.Name}:RabbitMqUser{StackNames.Pascal(member.Identity.Key!)}SecretArn\"}}"], rabbit);
                else
                    Assert.Empty(rabbit);
            }
        }
    }

    [Fact]
    public void DevHasNoBrokersByItsFileAloneAndASmallerWorker()
    {
        var dev = environments.Dev;
        Assert.Null(dev.Definition.Config.Brokers);
        Assert.Empty(dev.OfType("AWS::AmazonMQ::Broker"));
        Assert.Empty(dev.OfType("AWS::MSK::Cluster"));
        var devMax = dev.OfType("AWS::AutoScaling::AutoScalingGroup").Where(g => g.Id.StartsWith("Worker", StringComparison.Ordinal))
            .Max(g => int.Parse((string)Props(g.Resource)["MaxSize"]!));
        var prodMax = environments.Prod.OfType("AWS::AutoScaling::AutoScalingGroup").Where(g => g.Id.StartsWith("Worker", StringComparison.Ordinal))
            .Min(g => int.Parse((string)Props(g.Resource)["MaxSize"]!));
        Assert.True(devMax < prodMax);
        Assert.NotEmpty(WorkQueues(dev));
    }

    [Fact]
    public void StagingHasASingleBrokerAndNoKafka()
    {
        Assert.Equal("SINGLE_INSTANCE", (string?)Props(environments.Staging.OfType("AWS::AmazonMQ::Broker").Single().Resource)["DeploymentMode"]);
        Assert.Empty(environments.Staging.OfType("AWS::MSK::Cluster"));
    }
}

/// <summary>Adding a queue renames nothing: the existing queues, topics, subscriptions and workers keep their ids and properties.</summary>
public sealed class MessagingStableIdentityTests
{
    [Fact]
    public void AddingAQueueLeavesEverythingElseUntouched()
    {
        var yaml = MessagingConfigValidationTests.ValidWithMessaging.Replace("  kafka:\n    instanceType: kafka.m5.large\n    brokerNodes: 2\n    users: [billing]", "", StringComparison.Ordinal);
        Assert.DoesNotContain("kafka:", yaml);
        var before = Synth.Environment(EnvironmentLoader.Parse("dev", "stacks/dev.yaml", yaml));
        // "audit" sorts first: a position-based id would shift every other queue.
        var after = Synth.Environment(EnvironmentLoader.Parse("dev", "stacks/dev.yaml", yaml.Replace("queues:\n", "queues:\n  audit:\n    producers: [web]\n", StringComparison.Ordinal)));

        var old = before.QualifiedResources;
        var now = after.QualifiedResources;
        Assert.Empty(old.Keys.Except(now.Keys));
        // The dashboard gains the new queue's row; its id stays.
        foreach (var (id, resource) in old.Where(r => !r.Key.StartsWith("Backend-Dev-Service-Web/ServiceWebInstanceRoleDefaultPolicy", StringComparison.Ordinal)
            && !r.Key.StartsWith("Backend-Dev-Operations/Dashboard", StringComparison.Ordinal)))
            Assert.True(JsonNode.DeepEquals(resource, now[id]), $"{id} changed when a queue was added");
        Assert.Contains(now.Keys, id => id.StartsWith("Backend-Dev-Data/QueueAuditQueue", StringComparison.Ordinal));
    }
}
