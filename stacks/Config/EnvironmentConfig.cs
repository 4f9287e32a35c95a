using Amazon.CDK;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Networking;

namespace ScalableBackend.Stacks.Config;

// The records below are the schema of stacks/<env>.yaml. Keys in the file are the camelCased property names;
// every property with a setter is a key, `required` ones must be present, unknown keys are errors.

/// <summary>One environment, as its data file describes it.</summary>
public sealed record EnvironmentConfig
{
    /// <summary>The AWS region, e.g. <c>us-east-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>The 12-digit AWS account id; optional (synthesis never needs it).</summary>
    public string? Account { get; init; }

    /// <summary>
    /// Whether the stateful stacks (<c>Backend-&lt;Env&gt;-Platform</c> and <c>-Data</c>) refuse deletion until it is
    /// turned off (CloudFormation termination protection). Default: false.
    /// </summary>
    public bool? TerminationProtection { get; init; }

    /// <summary>The network.</summary>
    public required NetworkConfig Network { get; init; }

    /// <summary>Log retention for every log group the environment creates.</summary>
    public required LogsConfig Logs { get; init; }

    /// <summary>The shared load balancer in front of the services.</summary>
    public required LoadBalancerConfig LoadBalancer { get; init; }

    /// <summary>The microservices behind the load balancer, keyed by a stable name.</summary>
    public required IReadOnlyDictionary<string, ServiceConfig> Services { get; init; }

    /// <summary>The Redis cluster. Default: none.</summary>
    public CacheConfig? Cache { get; init; }

    /// <summary>The sharded PostgreSQL database. Default: none.</summary>
    public DatabaseConfig? Database { get; init; }

    /// <summary>SQS queues with dead-letter queues, keyed by a stable name. Default: none.</summary>
    public IReadOnlyDictionary<string, QueueConfig>? Queues { get; init; }

    /// <summary>Events: SNS topics fanned out to queues, keyed by a stable name. Default: none.</summary>
    public IReadOnlyDictionary<string, EventConfig>? Events { get; init; }

    /// <summary>Message brokers (RabbitMQ, Kafka), each optional. Default: none.</summary>
    public BrokersConfig? Brokers { get; init; }

    /// <summary>Asynchronous worker tiers consuming queues, keyed by a stable name. Default: none.</summary>
    public IReadOnlyDictionary<string, WorkerConfig>? Workers { get; init; }

    /// <summary>The REST API in front of the services. Default: none.</summary>
    public ApiConfig? Api { get; init; }

    /// <summary>The web ACL on the public entry points; required with <c>api</c>. Default: none.</summary>
    public FirewallConfig? Firewall { get; init; }

    /// <summary>The Cognito user pool authorizing API routes. Default: none.</summary>
    public AuthConfig? Auth { get; init; }

    /// <summary>Alarm recipients and thresholds, X-Ray sampling and central logging. Default: alarms and a dashboard without subscribers, default sampling, an archive-only log pipeline.</summary>
    public ObservabilityConfig? Observability { get; init; }

    /// <summary>Tags applied to every resource. Default: none (the stack always adds <c>Environment</c>).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>The <c>network</c> section: the network's settings, nothing file-specific.</summary>
public sealed record NetworkConfig : NetworkSettings;

/// <summary>The <c>logs</c> section.</summary>
public sealed record LogsConfig
{
    /// <summary>Days every log group keeps its events; one of the values CloudWatch Logs accepts.</summary>
    public required int RetentionDays { get; init; }
}

/// <summary>The <c>loadBalancer</c> section: the load balancer's settings, its certificate ARN and TLS policy name.</summary>
public sealed record LoadBalancerConfig : LoadBalancerSettings
{
    /// <summary>ARN of the ACM certificate for the HTTPS listener. Either this or <c>allowPlainHttp: true</c>.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>The HTTPS listener's TLS policy. Default: <c>ELBSecurityPolicy-TLS13-1-2-2021-06</c>.</summary>
    public string? SslPolicy { get; init; }

    /// <summary>
    /// The names the certificate covers, as ACM lists them (wildcards cover one label): then <c>api.backendHost</c> and
    /// every service's <c>hostHeaders</c> are checked against them. Default: not checked.
    /// </summary>
    public IReadOnlyList<string>? CertificateNames { get; init; }

    /// <summary>Whether <see cref="CertificateArn"/> is set.</summary>
    public bool HasCertificate => CertificateArn is not null;
}

/// <summary>One entry of the <c>services</c> section: the service's settings and its instance type.</summary>
public sealed record ServiceConfig : WebServiceSettings
{
    /// <summary>The EC2 instance type, e.g. <c>t3.small</c>.</summary>
    public required string InstanceType { get; init; }
}

/// <summary>The <c>cache</c> section: a Redis cluster (cluster mode, TLS, AUTH, encrypted at rest), its settings and who connects.</summary>
public sealed record CacheConfig : RedisClusterSettings
{
    /// <summary>Keys of the services that may connect (port 6379, the endpoint parameters, the AUTH secret). Default: none.</summary>
    public IReadOnlyList<string>? Users { get; init; }
}

/// <summary>The <c>database</c> section: PostgreSQL shards keyed by a stable id, with a shard map; the database's settings, its instance class and who connects.</summary>
public sealed record DatabaseConfig : ShardedDatabaseSettings
{
    /// <summary>The RDS instance class of every writer and replica, e.g. <c>db.r6g.large</c>.</summary>
    public required string InstanceType { get; init; }
    /// <summary>Keys of the services that may connect (port 5432, the shard map, every shard's credentials). Default: none.</summary>
    public IReadOnlyList<string>? Users { get; init; }
}
