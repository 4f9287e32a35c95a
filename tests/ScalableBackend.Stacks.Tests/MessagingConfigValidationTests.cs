using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Each row breaks one thing in the messaging sections of a valid file and expects exactly one clear message.</summary>
public sealed class MessagingConfigValidationTests
{
    private const string File = "stacks/test.yaml";

    /// <summary><see cref="ConfigValidationTests.Valid"/> with queues, an event, a worker and both brokers.</summary>
    public const string ValidWithMessaging = ConfigValidationTests.Valid + """

        queues:
          billing:
            consumerTimeout: 2m
            visibilityTimeout: 5m
            maxReceiveCount: 5
            producers: [api]
          shipping:
            retentionPeriod: 4d
            consumers: [web]
          ledger:
            fifo: true
        events:
          order-placed:
            publishers: [api]
            subscribers: [billing, shipping]
        workers:
          billing:
            instanceType: t3.small
            queue: billing
            minCapacity: 1
            maxCapacity: 4
            acceptableLatency: 2m
            averageProcessingTime: 6s
            batchWindows:
              nightly: { start: "0 1 * * *", end: "0 5 * * *", minCapacity: 3 }
        brokers:
          rabbitmq:
            instanceType: mq.m5.large
            deploymentMode: cluster_multi_az
            users: [api]
          kafka:
            instanceType: kafka.m5.large
            brokerNodes: 2
            users: [billing]
        """;

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, ValidWithMessaging);
        return ValidWithMessaging.Replace(from, to);
    }

    [Fact]
    public void TheValidFileWithMessagingLoads()
    {
        var env = EnvironmentLoader.Parse("staging", File, ValidWithMessaging);
        Assert.Equal(3, env.Config.Queues!.Count);
        Assert.Equal(["billing", "shipping"], env.Config.Events!["order-placed"].Subscribers);
        Assert.Equal(120, env.Config.Workers!["billing"].AcceptableLatency.ToSeconds());
        Assert.Equal(Components.Messaging.BrokerDeploymentMode.ClusterMultiAz, env.Config.Brokers!.Rabbitmq!.DeploymentMode);
        Assert.Equal(2, env.Config.Brokers.Kafka!.BrokerNodes);
    }

    [Fact]
    public void EachKafkaUserGetsExactlyTheTopicsAndGroupsTheFileNamesForIt()
    {
        var kafka = EnvironmentLoader.Parse("staging", File, Replace("users: [billing]", """
            users: [billing, api]
                topics:
                  payments: { consumers: [billing] }
                  orders: { producers: [api], consumers: [billing] }
                groups:
                  billing: { members: [billing] }
            """)).Config.Brokers!.Kafka!;
        var billing = kafka.AccessOf("billing");
        Assert.Equal([], billing.Produces!);
        Assert.Equal(["orders", "payments"], billing.Consumes!);
        Assert.Equal(["billing"], billing.Groups!);
        var api = kafka.AccessOf("api");
        Assert.Equal(["orders"], api.Produces!);
        Assert.Equal([], api.Consumes!);
        Assert.Equal([], api.Groups!);
    }

    public static TheoryData<string, string, string> Rows => new()
    {
        // shape: the binder
        { "deploymentMode: cluster_multi_az", "deploymentMode: cluster", "brokers.rabbitmq.deploymentMode = cluster must be one of cluster_multi_az, single_instance" },
        { "  rabbitmq:", "  activemq: {}\n  rabbitmq:", "brokers.activemq is not a known key; allowed here: kafka, rabbitmq" },
        { "    queue: billing\n", "", "workers.billing.queue is required" },
        { "acceptableLatency: 2m", "acceptableLatency: soon", "workers.billing.acceptableLatency = soon must be a duration such as 30s, 5m, 1h or 7d" },
        // values and cross-references: the environment validator
        { "queues:\n  billing:", "queues:\n  Billing:", "queues.Billing is not a valid queue name" },
        { "producers: [api]", "producers: [billing-api]", "queues.billing.producers[0] = billing-api is not a service or worker; declared: api, billing, web" },
        { "producers: [api]", "producers: [api, api]", "queues.billing.producers[1] = api is listed twice" },
        { "consumers: [web]", "consumers: [reports]", "queues.shipping.consumers[0] = reports is not a service or worker; declared: api, billing, web" },
        { "workers:\n  billing:", "workers:\n  Billing:", "workers.Billing is not a valid worker name" },
        { "workers:\n  billing:", "workers:\n  api:", "workers.api is also a service; services and workers share one name space" },
        { "instanceType: t3.small\n    queue: billing", "instanceType: big\n    queue: billing", "workers.billing.instanceType = big must be an EC2 instance type such as t3.small" },
        { "queue: billing", "queue: invoices", "workers.billing.queue = invoices is not a queue; declared: billing, ledger, shipping" },
        { "subscribers: [billing, shipping]", "subscribers: []", "events.order-placed.subscribers must list at least one queue" },
        { "subscribers: [billing, shipping]", "subscribers: [billing, invoices]", "events.order-placed.subscribers[1] = invoices is not a queue; declared: billing, ledger, shipping" },
        { "subscribers: [billing, shipping]", "subscribers: [ledger]", "events.order-placed.subscribers[0] = ledger is a FIFO queue; an event topic delivers only to standard queues" },
        { "subscribers: [billing, shipping]", "subscribers: [billing, billing]", "events.order-placed.subscribers[1] = billing is listed twice" },
        { "publishers: [api]", "publishers: [orders]", "events.order-placed.publishers[0] = orders is not a service or worker; declared: api, billing, web" },
        { "events:\n  order-placed:", "events:\n  OrderPlaced:", "events.OrderPlaced is not a valid event name" },
        { "users: [api]", "users: [payments]", "brokers.rabbitmq.users[0] = payments is not a service or worker; declared: api, billing, web" },
        { "users: [billing]", "users: [billing, billing]", "brokers.kafka.users[1] = billing is listed twice" },
        { "users: [billing]", "users: [billing]\n    topics:\n      orders/v1: { producers: [billing] }", "brokers.kafka.topics.orders/v1 is not a valid topic name: must be 1-249 letters, digits, '.', '_' or '-' (Kafka's topic name rule), and not '.' or '..'" },
        { "users: [billing]", "users: [billing]\n    topics:\n      oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo: { consumers: [billing] }", "brokers.kafka.topics.oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo is not a valid topic name" },
        { "users: [billing]", "users: [billing]\n    topics:\n      orders: { producers: [reports] }", "brokers.kafka.topics.orders.producers[0] = reports is not a service or worker; declared: api, billing, web" },
        { "users: [billing]", "users: [billing]\n    topics:\n      orders: { producers: [web] }", "brokers.kafka.topics.orders.producers[0] = web is not in brokers.kafka.users (billing): only a user connects" },
        { "users: [billing]", "users: [billing]\n    topics:\n      orders: { consumers: [billing, billing] }", "brokers.kafka.topics.orders.consumers[1] = billing is listed twice" },
        { "users: [billing]", "users: [billing]\n    topics:\n      orders: { partitions: 3 }", "brokers.kafka.topics.orders.partitions is not a known key; allowed here: consumers, producers" },
        { "users: [billing]", "users: [billing]\n    groups:\n      billing: { members: [api] }", "brokers.kafka.groups.billing.members[0] = api is not in brokers.kafka.users (billing): only a user connects" },
        { "users: [billing]", "users: [billing]\n    groups:\n      billing: { members: [] }", "brokers.kafka.groups.billing.members must list at least one user" },
        { "users: [billing]", "users: [billing]\n    groups:\n      billing: {}", "brokers.kafka.groups.billing.members is required" },
        { "users: [billing]", "users: [billing]\n    groups:\n      \"billing*\": { members: [billing] }", "brokers.kafka.groups.billing* is not a valid consumer group id: must be 1-249 letters, digits, '.', '_' or '-' (Kafka's topic name rule), and not '.' or '..'" },
        // component rules, reported at the file's keys
        { "visibilityTimeout: 5m", "visibilityTimeout: 1m", "queues.billing.visibilityTimeout = 60s must be at least consumerTimeout (120s), or a message becomes visible again while it is still being processed" },
        { "visibilityTimeout: 5m", "visibilityTimeout: 13h", "queues.billing.visibilityTimeout = 46800s must be at most 12h" },
        { "consumerTimeout: 2m", "consumerTimeout: 13h", "queues.billing.consumerTimeout = 46800s must be greater than 0s and at most 12h" },
        { "retentionPeriod: 4d", "retentionPeriod: 15d", "queues.shipping.retentionPeriod = 1296000s must be between 60s and 14d" },
        { "retentionPeriod: 4d", "retentionPeriod: 4d\n    deadLetterRetentionPeriod: 1d", "queues.shipping.deadLetterRetentionPeriod = 86400s must be at least retentionPeriod (345600s)" },
        { "retentionPeriod: 4d", "retentionPeriod: 4d\n    deadLetterRetentionPeriod: 20d", "queues.shipping.deadLetterRetentionPeriod = 1728000s must be between 60s and 14d" },
        { "maxReceiveCount: 5", "maxReceiveCount: 0", "queues.billing.maxReceiveCount = 0 must be between 1 and 1000" },
        { "maxReceiveCount: 5", "contentBasedDeduplication: true", "queues.billing.contentBasedDeduplication = True requires fifo: true" },
        { "maxReceiveCount: 5", "receiveWaitTime: 30s", "queues.billing.receiveWaitTime = 30s must be between 0s and 20s" },
        { "minCapacity: 1\n    maxCapacity: 4", "minCapacity: 0\n    maxCapacity: 4", "workers.billing.minCapacity = 0 must be at least 1: backlog per instance has no value while no instance is in service" },
        { "minCapacity: 1\n    maxCapacity: 4", "minCapacity: 5\n    maxCapacity: 4", "workers.billing.maxCapacity = 4 must be >= minCapacity (5)" },
        { "acceptableLatency: 2m", "acceptableLatency: 2m\n    rootVolumeSizeGiB: 4", "workers.billing.rootVolumeSizeGiB = 4 must be between 8 and 16384" },
        { "acceptableLatency: 2m", "acceptableLatency: 2m\n    healthCheckGracePeriod: 3h", "workers.billing.healthCheckGracePeriod = 10800s must be at most 7200s" },
        { "averageProcessingTime: 6s", "averageProcessingTime: 0s", "workers.billing.averageProcessingTime = 0s must be greater than 0s" },
        { "acceptableLatency: 2m", "acceptableLatency: 0s", "workers.billing.acceptableLatency = 0s must be greater than 0s" },
        { "acceptableLatency: 2m", "acceptableLatency: 3s", "workers.billing.acceptableLatency = 3s must be at least averageProcessingTime (6s)" },
        { "nightly: { start", "Nightly: { start", "workers.billing.batchWindows = Nightly keys must be lower-case letters, digits and dashes" },
        { "start: \"0 1 * * *\"", "start: \"1am\"", "workers.billing.batchWindows.nightly.start = 1am must have 5 fields" },
        { "end: \"0 5 * * *\"", "end: \"5am\"", "workers.billing.batchWindows.nightly.end = 5am must have 5 fields" },
        { "end: \"0 5 * * *\"", "end: \"0 1 * * *\"", "workers.billing.batchWindows.nightly.end = 0 1 * * * must differ from start" },
        { "minCapacity: 3 }", "minCapacity: 9 }", "workers.billing.batchWindows.nightly.minCapacity = 9 must be between 1 and maxCapacity (4)" },
        { "instanceType: mq.m5.large", "instanceType: m5.large", "brokers.rabbitmq.instanceType = m5.large must be a broker instance type such as mq.m5.large" },
        { "instanceType: mq.m5.large", "instanceType: mq.t3.micro", "brokers.rabbitmq.instanceType = mq.t3.micro supports only deploymentMode: single_instance" },
        { "deploymentMode: cluster_multi_az", "engineVersion: \"5.17\"", "brokers.rabbitmq.engineVersion = 5.17 must be a RabbitMQ 3 version such as 3.13" },
        { "deploymentMode: cluster_multi_az", "maintenanceWindowStart: sunday", "brokers.rabbitmq.maintenanceWindowStart = sunday must be a UTC start ddd:hh:mm such as sun:03:00" },
        { "deploymentMode: cluster_multi_az", "adminUsername: \"a:b\"", "brokers.rabbitmq.adminUsername = a:b must be 2-100 letters, digits" },
        { "instanceType: kafka.m5.large", "instanceType: m5.large", "brokers.kafka.instanceType = m5.large must be a broker instance type such as kafka.m5.large" },
        { "brokerNodes: 2", "brokerNodes: 3", "brokers.kafka.brokerNodes = 3 must be a positive multiple of the number of zones (2)" },
        { "brokerNodes: 2", "brokerNodes: 2\n    kafkaVersion: latest", "brokers.kafka.kafkaVersion = latest must be an Apache Kafka version such as 3.6.0" },
        { "brokerNodes: 2", "brokerNodes: 2\n    volumeSizeGiB: 0", "brokers.kafka.volumeSizeGiB = 0 must be between 1 and 16384" },
        { "brokerNodes: 2", "brokerNodes: 2\n    maxVolumeSizeGiB: 50", "brokers.kafka.maxVolumeSizeGiB = 50 must be above volumeSizeGiB (100) and at most 16384" },
        { "brokerNodes: 2", "brokerNodes: 2\n    storageTargetUtilizationPercent: 95", "brokers.kafka.storageTargetUtilizationPercent = 95 must be between 10 and 80" },
        { "[eu-west-1a, eu-west-1b]", "[eu-west-1a, eu-west-1b, eu-west-1c, eu-west-1d]", "brokers.kafka.subnets = 4 zone(s) must span 2 or 3 availability zones" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void AnInvalidMessagingSectionFailsWithOneMessageNamingFileKeyValueAndRule(string from, string to, string expected)
    {
        var message = Assert.Throws<ConfigException>(() => EnvironmentLoader.Parse("staging", File, Replace(from, to))).Message;
        Assert.StartsWith($"{File}: ", message);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\n", message);
    }
}
