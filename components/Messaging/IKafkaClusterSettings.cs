namespace ScalableBackend.Components.Messaging;

/// <summary>
/// The plain-data settings of a <see cref="KafkaCluster"/> — everything but the CDK objects it is wired to — so a
/// data file can be validated with the same rules as the component's props (<see cref="KafkaCluster.Validate"/>).
/// </summary>
public interface IKafkaClusterSettings
{
    /// <summary>The broker instance type, e.g. <c>kafka.m5.large</c>.</summary>
    string InstanceType { get; }
    /// <summary>Number of broker nodes; a multiple of the number of zones.</summary>
    int BrokerNodes { get; }
    /// <summary>The Apache Kafka version.</summary>
    string? KafkaVersion { get; }
    /// <summary>Initial EBS volume per broker, GiB.</summary>
    int? VolumeSizeGiB { get; }
    /// <summary>The largest EBS volume per broker storage autoscaling may grow to, GiB.</summary>
    int? MaxVolumeSizeGiB { get; }
    /// <summary>Disk utilization, in percent, storage autoscaling holds.</summary>
    int? StorageTargetUtilizationPercent { get; }
    /// <summary>Days the broker log group keeps its events.</summary>
    int? LogRetentionDays { get; }
}
