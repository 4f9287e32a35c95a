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

    /// <summary>
    /// The machine images (AMI ids) the instances boot, pinned per CPU architecture (<c>x86_64</c>, <c>arm64</c>): the
    /// instance type's architecture picks one, so a new image is a visible launch-template diff, never a silent
    /// replacement. Required when a service or worker runs a container. Default: none — the latest Amazon Linux 2023,
    /// resolved at every deploy through its public SSM parameter (x86_64 only).
    /// </summary>
    public MachineImagePins? MachineImages { get; init; }

    /// <summary>
    /// Secrets the containers may read, declared once by a stable name: each a Secrets Manager secret (name or ARN) or an
    /// SSM parameter. A container's <c>secrets</c> map its variables to these names; only the declared and used ones
    /// are granted. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, ContainerSecret>? Secrets { get; init; }

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

/// <summary>One entry of the <c>services</c> section: the service's settings, its instance type and what it runs.</summary>
public sealed record ServiceConfig : WebServiceSettings, IMemberConfig
{
    /// <summary>The EC2 instance type, e.g. <c>t3.small</c>.</summary>
    public required string InstanceType { get; init; }

    /// <summary>What the instances run: the image (tag or digest), command, environment and secrets by declared name. Not with <see cref="BootScript"/>. Default: none.</summary>
    public new ContainerConfig? Container { get; init; }

    /// <summary>A team's baked AMI, e.g. <c>ami-0abcdef1234567890</c>; goes with <see cref="BootScript"/> and replaces <c>machineImages</c> for this service. Default: none.</summary>
    public string? MachineImage { get; init; }

    /// <summary>A boot script file (relative to the environment file) run on <see cref="MachineImage"/> instead of a container; its exit code and the target's health decide the signal. Default: none.</summary>
    public string? BootScript { get; init; }
}

/// <summary>
/// The <c>container</c> of a service or worker: the container's settings, with <c>secrets</c> naming entries of the
/// file's top-level <c>secrets</c> (variable → declared name) instead of giving a secret's location.
/// </summary>
public sealed record ContainerConfig : ContainerSettings
{
    /// <summary>Environment variables whose values are secrets: variable name → a name declared under the file's <c>secrets</c>. Default: none.</summary>
    public new IReadOnlyDictionary<string, string>? Secrets { get; init; }
}

/// <summary>What services and workers share in the file: instance type and what they run.</summary>
public interface IMemberConfig
{
    /// <summary>The EC2 instance type.</summary>
    string InstanceType { get; }

    /// <summary>The container, or null.</summary>
    ContainerConfig? Container { get; }

    /// <summary>The baked AMI, or null.</summary>
    string? MachineImage { get; }

    /// <summary>The boot script file, or null.</summary>
    string? BootScript { get; }
}

/// <summary>The <c>cache</c> section: a Redis cluster (cluster mode, TLS, IAM-authenticated users, encrypted at rest), its settings and who connects.</summary>
public sealed record CacheConfig : RedisClusterSettings
{
    /// <summary>
    /// Keys of the services or workers that may connect: each gets its own ElastiCache user <c>backend-&lt;env&gt;-&lt;key&gt;</c>
    /// (IAM authentication, keys under <c>&lt;key&gt;:</c>), port 6379, the endpoint parameter and <c>elasticache:Connect</c>
    /// on the replication group and its own user only. Default: none.
    /// </summary>
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
