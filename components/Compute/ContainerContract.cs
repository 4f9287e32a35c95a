using System.Text;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// The environment variables a service's or worker's container receives from what its environment declares — one
/// name per relationship, so application code reads the same names in every environment. Values are endpoints,
/// URLs, ARNs and parameter names only, never secret values: a secret's ARN is handed over and the application (or
/// the boot script, for <see cref="ContainerSettings.Secrets"/>) reads it with the instance role.
/// Names of keyed things (queues, events, shards) embed the key upper-cased with dashes as underscores:
/// queue <c>order-events</c> → <c>SB_QUEUE_ORDER_EVENTS_URL</c>.
/// </summary>
public static class ContainerContract
{
    /// <summary>The environment's name: <c>dev</c>, <c>staging</c>, <c>prod</c>.</summary>
    public const string Environment = "SB_ENVIRONMENT";

    /// <summary>The service's or worker's key in the environment file.</summary>
    public const string Member = "SB_MEMBER";

    /// <summary>The region (the AWS SDKs read it too).</summary>
    public const string Region = "AWS_REGION";

    /// <summary>A service's port, the one its target group sends requests and health checks to (host networking).</summary>
    public const string Port = "SB_PORT";

    /// <summary>A worker's own queue (the one it consumes and scales on): its URL.</summary>
    public const string WorkerQueueUrl = "SB_WORKER_QUEUE_URL";

    /// <summary>The URL of queue <paramref name="queue"/>, for its producers and consumers.</summary>
    public static string QueueUrl(string queue) => $"SB_QUEUE_{Part(queue)}_URL";

    /// <summary>The ARN of the topic of event <paramref name="eventName"/>, for its publishers.</summary>
    public static string TopicArn(string eventName) => $"SB_TOPIC_{Part(eventName)}_ARN";

    /// <summary>The cache's configuration endpoint, <c>host:port</c> (cluster mode, TLS), for its users.</summary>
    public const string CacheEndpoint = "SB_CACHE_ENDPOINT";

    /// <summary>
    /// The member's own ElastiCache user (e.g. <c>backend-prod-api</c>), which authenticates with IAM: the application
    /// sends <c>AUTH &lt;user&gt; &lt;token&gt;</c> (or <c>HELLO 3 AUTH …</c>) over TLS, the token being a SigV4-presigned
    /// <c>GET http://&lt;replication-group-id&gt;/?Action=connect&amp;User=&lt;user&gt;</c> for service <c>elasticache</c>
    /// signed with the instance role (valid 15 minutes; renew it before reconnecting). Keys live under
    /// <c>&lt;member&gt;:</c> — the user may touch no other key.
    /// </summary>
    public const string CacheUser = "SB_CACHE_USER";

    /// <summary>The cache's replication group id: the host part of the IAM authentication token <see cref="CacheUser"/> signs.</summary>
    public const string CacheReplicationGroupId = "SB_CACHE_REPLICATION_GROUP_ID";

    /// <summary>The name of the SSM parameter holding the shard map (JSON; read it with <c>SsmShardMapSource</c>).</summary>
    public const string DatabaseShardMapParameter = "SB_DATABASE_SHARD_MAP_PARAMETER";

    /// <summary>
    /// The member's own PostgreSQL user (<c>ShardedDatabase.UserNameOf(key)</c>, e.g. <c>svc_api</c>), the same in every
    /// shard. It logs in with IAM database authentication only: the password is a token from the AWS SDK's RDS signer
    /// for the host and port connected to (valid 15 minutes), over TLS (<c>sslmode=require</c>).
    /// </summary>
    public const string DatabaseUser = "SB_DATABASE_USER";

    /// <summary>The endpoint (<c>host:port</c>) of shard <paramref name="shard"/>'s RDS Proxy, for shards with one.</summary>
    public static string DatabaseShardProxyEndpoint(string shard) => $"SB_DATABASE_{Part(shard)}_PROXY_ENDPOINT";

    /// <summary>The RabbitMQ broker's AMQPS endpoint (<c>amqps://host:5671</c>).</summary>
    public const string RabbitMqEndpoint = "SB_RABBITMQ_ENDPOINT";

    /// <summary>
    /// The ARN of the member's own RabbitMQ credentials secret (JSON <c>username</c> = the member's key, <c>password</c>):
    /// connect to <see cref="RabbitMqEndpoint"/> with them (AMQPS, PLAIN). The user configures and reads only queues and
    /// exchanges named <c>&lt;member&gt;.…</c> and may publish to those and to the default exchange.
    /// </summary>
    public const string RabbitMqCredentialsSecretArn = "SB_RABBITMQ_CREDENTIALS_SECRET_ARN";

    /// <summary>
    /// The MSK cluster's ARN. CloudFormation publishes no bootstrap brokers, so the application asks
    /// <c>kafka:GetBootstrapBrokers</c> (granted) for the IAM endpoints (port 9098) and authenticates with SASL
    /// <c>AWS_MSK_IAM</c> (SigV4 with the instance role); it may use only the topics and consumer groups the file's
    /// <c>brokers.kafka.topics</c> and <c>groups</c> name for the member.
    /// </summary>
    public const string KafkaClusterArn = "SB_KAFKA_CLUSTER_ARN";

    /// <summary>True when <paramref name="name"/> is one this contract sets (its fixed names or its SB_ prefixes), so a team's own variables cannot shadow one.</summary>
    public static bool IsReserved(string name) => name.StartsWith("SB_", StringComparison.Ordinal) || name == Region;

    /// <summary>The variable-name part of a key: upper case, dashes as underscores (<c>order-placed</c> → <c>ORDER_PLACED</c>).</summary>
    public static string Part(string key)
    {
        var s = new StringBuilder(key.Length);
        foreach (var c in key)
            s.Append(char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        return s.ToString();
    }
}
