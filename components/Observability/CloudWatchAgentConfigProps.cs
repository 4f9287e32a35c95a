using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;

namespace ScalableBackend.Components.Observability;

/// <summary>
/// The plain-data settings of a <see cref="CloudWatchAgentConfig"/>: what the agent ships, samples and receives.
/// Validated by <see cref="CloudWatchAgentConfig.Validate"/> with one set of rules and one set of documented defaults.
/// </summary>
public record CloudWatchAgentSettings
{
    /// <summary>Absolute paths (globs allowed) of the application log files to ship. Default: <c>/var/log/app/*.log</c>.</summary>
    public IReadOnlyList<string>? LogFiles { get; init; }

    /// <summary>The CloudWatch namespace of the memory and disk metrics; not <c>AWS/…</c>. Default: <c>CWAgent</c>.</summary>
    public string? MetricsNamespace { get; init; }

    /// <summary>Seconds between metric samples: 10, 30, or a multiple of 60. Default: 60.</summary>
    public int? MetricsIntervalSeconds { get; init; }

    /// <summary>Whether the agent listens for X-Ray segments on 127.0.0.1:2000 (UDP and TCP) and forwards them. Default: true.</summary>
    public bool? EnableTracing { get; init; }

    /// <summary>
    /// Whether the agent's StatsD listener takes application metrics on 127.0.0.1:8125 (UDP) and publishes them into
    /// <see cref="MetricsNamespace"/>. Default: true.
    /// </summary>
    public bool? EnableStatsd { get; init; }
}

/// <summary>Properties of a <see cref="CloudWatchAgentConfig"/>: its <see cref="CloudWatchAgentSettings"/>, the service it serves and its log group.</summary>
public sealed record CloudWatchAgentConfigProps : CloudWatchAgentSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public CloudWatchAgentConfigProps() { }

    /// <summary>Props from <paramref name="settings"/> and the service and log group settings the agent is wired to.</summary>
    [SetsRequiredMembers]
    public CloudWatchAgentConfigProps(CloudWatchAgentSettings settings, string serviceName, IKey logEncryptionKey, RetentionDays logRetention) : base(settings)
    {
        ServiceName = serviceName;
        LogEncryptionKey = logEncryptionKey;
        LogRetention = logRetention;
    }

    /// <summary>The service the instances run, e.g. <c>api</c>; names the metrics dimension and descriptions. Required.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The KMS key encrypting the service's log group. Required.</summary>
    public required IKey LogEncryptionKey { get; init; }

    /// <summary>How long the service's log events are kept. Required.</summary>
    public required RetentionDays LogRetention { get; init; }

    /// <summary>The service log group's name. Default: a name CloudFormation generates.</summary>
    public string? LogGroupName { get; init; }

    /// <summary>The SSM parameter's name (starting with <c>/</c>). Default: a name CloudFormation generates.</summary>
    public string? ParameterName { get; init; }

    /// <summary>
    /// Namespaces the application publishes its own metrics into with <c>cloudwatch:PutMetricData</c> (the SDK, on the
    /// instance role), e.g. the ones its scaling triggers read (<see cref="CloudWatchAgentConfig.NamespacesReadBy"/>);
    /// not <c>AWS/…</c>. The grant allows exactly these and <see cref="CloudWatchAgentSettings.MetricsNamespace"/>.
    /// Default: none.
    /// </summary>
    public IReadOnlyList<string>? ApplicationMetricNamespaces { get; init; }
}
