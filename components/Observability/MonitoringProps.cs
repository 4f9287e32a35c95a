using Amazon.CDK.AWS.KMS;

namespace ScalableBackend.Components.Observability;

/// <summary>Properties of a <see cref="Monitoring"/>.</summary>
public sealed record MonitoringProps : IMonitoringSettings
{
    /// <summary>Email addresses subscribed to the alarm topic (each confirms by mail). Default: none.</summary>
    public IReadOnlyList<string>? AlarmEmails { get; init; }

    /// <summary>HTTPS endpoints subscribed to the alarm topic. Default: none.</summary>
    public IReadOnlyList<string>? AlarmHttpsEndpoints { get; init; }

    /// <summary>Threshold overrides. Default: the defaults documented on <see cref="AlarmThresholds"/>.</summary>
    public AlarmThresholds? Thresholds { get; init; }

    /// <summary>The dashboard's name. Default: a name CloudFormation generates.</summary>
    public string? DashboardName { get; init; }

    /// <summary>The key encrypting the alarm topic; CloudWatch must be allowed to use it. Default: a new key with rotation that allows CloudWatch.</summary>
    public IKey? TopicEncryptionKey { get; init; }
}
