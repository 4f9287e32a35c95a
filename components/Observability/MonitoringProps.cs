using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;

namespace ScalableBackend.Components.Observability;

/// <summary>Alarm thresholds of <see cref="Monitoring"/>; every value has a default and can be overridden alone.</summary>
public sealed record AlarmThresholds
{
    /// <summary>Load balancer 5xx responses (its own and the targets') as a percentage of requests, over 5 minutes with at least 20 requests. Default: 5.</summary>
    public double? LoadBalancer5xxPercent { get; init; }

    /// <summary>A target group's p99 response time in seconds. Default: 2.</summary>
    public double? TargetResponseTimeP99Seconds { get; init; }

    /// <summary>Unhealthy targets in a target group at or above which the alarm fires. Default: 1.</summary>
    public double? UnhealthyHosts { get; init; }

    /// <summary>A service's or worker tier's average CPU utilization (percent) across its Auto Scaling group. Default: 80.</summary>
    public double? ServiceCpuPercent { get; init; }

    /// <summary>Redis engine CPU (percent, the busiest node of a shard). Default: 80.</summary>
    public double? CacheCpuPercent { get; init; }

    /// <summary>Redis memory used as a percentage of <c>maxmemory</c> (the fullest node of a shard). Default: 80.</summary>
    public double? CacheMemoryPercent { get; init; }

    /// <summary>Keys evicted per 5 minutes on a shard's busiest node. Default: 1000.</summary>
    public double? CacheEvictions { get; init; }

    /// <summary>Seconds a shard's replica lags behind its primary. Default: 30.</summary>
    public double? CacheReplicationLagSeconds { get; init; }

    /// <summary>A database shard writer's CPU utilization (percent). Default: 80.</summary>
    public double? DatabaseCpuPercent { get; init; }

    /// <summary>Free storage in GiB below which a database shard alarms. Default: 5.</summary>
    public double? DatabaseFreeStorageGiB { get; init; }

    /// <summary>Connections to a database shard writer at or above which it alarms. Default: 400.</summary>
    public double? DatabaseConnections { get; init; }

    /// <summary>Seconds a database read replica lags behind its writer. Default: 60.</summary>
    public double? DatabaseReplicaLagSeconds { get; init; }

    /// <summary>Age in seconds of the oldest message in a queue. Default: 300.</summary>
    public double? QueueOldestMessageAgeSeconds { get; init; }

    /// <summary>Messages in a dead-letter queue at or above which it alarms. Default: 1.</summary>
    public double? DeadLetterMessages { get; init; }

    /// <summary>Free storage in GiB on a search domain's fullest node below which it alarms. Default: 5.</summary>
    public double? SearchFreeStorageGiB { get; init; }
}

/// <summary>
/// The plain-data settings of a <see cref="Monitoring"/>: who is alerted and the threshold overrides. A data file's
/// record derives from it, so both are validated by <see cref="Monitoring.Validate"/> with one set of rules and one
/// set of documented defaults.
/// </summary>
public record MonitoringSettings
{
    /// <summary>Email addresses subscribed to the alarm topic (each confirms by mail). Default: none.</summary>
    public IReadOnlyList<string>? AlarmEmails { get; init; }

    /// <summary>
    /// HTTPS endpoints subscribed to the alarm topic, written in the template as they are: only URLs that carry no
    /// key (no user info, no query, no token-like path segment of 20 or more letters and digits). Default: none.
    /// </summary>
    public IReadOnlyList<string>? AlarmHttpsEndpoints { get; init; }

    /// <summary>
    /// Names (or ARNs) of Secrets Manager secrets whose value is an HTTPS endpoint to subscribe to the alarm topic,
    /// e.g. a paging integration's URL with its key: the template holds only <c>{{resolve:secretsmanager:…}}</c>
    /// (CloudFormation resolves it at deploy time; create the secret first). Default: none.
    /// </summary>
    public IReadOnlyList<string>? AlarmHttpsEndpointSecrets { get; init; }

    /// <summary>Threshold overrides. Default: the defaults documented on <see cref="AlarmThresholds"/>.</summary>
    public AlarmThresholds? Thresholds { get; init; }
}

/// <summary>Properties of a <see cref="Monitoring"/>: its <see cref="MonitoringSettings"/>, the dashboard's name and the topic's key.</summary>
public sealed record MonitoringProps : MonitoringSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public MonitoringProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record).</summary>
    [SetsRequiredMembers]
    public MonitoringProps(MonitoringSettings settings) : base(settings) { }

    /// <summary>The dashboard's name. Default: a name CloudFormation generates.</summary>
    public string? DashboardName { get; init; }

    /// <summary>
    /// Whether to create a dashboard with a row per monitored component. Default: true. A stack that holds only some
    /// components' alarms (one service of many) leaves the dashboard to a stack that sees everything.
    /// </summary>
    public bool? EnableDashboard { get; init; }

    /// <summary>
    /// An existing alarm topic (for example imported from the stack that owns it); its subscribers are that stack's
    /// business, so <see cref="MonitoringSettings.AlarmEmails"/> and <see cref="MonitoringSettings.AlarmHttpsEndpoints"/>
    /// and <see cref="MonitoringSettings.AlarmHttpsEndpointSecrets"/> must then be empty and no key is created. Default: a new encrypted, TLS-only topic with the given subscribers.
    /// </summary>
    public ITopic? AlarmTopic { get; init; }

    /// <summary>The key encrypting the alarm topic (without <see cref="AlarmTopic"/>). A key whose policy this app manages gets the statement allowing this account's CloudWatch alarms to use it; an imported key's policy must allow it already. Default: a new key with rotation that allows CloudWatch.</summary>
    public IKey? TopicEncryptionKey { get; init; }
}
