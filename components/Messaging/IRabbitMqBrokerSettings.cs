namespace ScalableBackend.Components.Messaging;

/// <summary>How an Amazon MQ broker is deployed.</summary>
public enum BrokerDeploymentMode
{
    /// <summary><c>CLUSTER_MULTI_AZ</c>: a three-node cluster spread over zones (production).</summary>
    ClusterMultiAz,
    /// <summary><c>SINGLE_INSTANCE</c>: one broker in one subnet (development).</summary>
    SingleInstance,
}

/// <summary>
/// The plain-data settings of a <see cref="RabbitMqBroker"/> — everything but the CDK objects it is wired to — so a
/// data file can be validated with the same rules as the component's props (<see cref="RabbitMqBroker.Validate"/>).
/// </summary>
public interface IRabbitMqBrokerSettings
{
    /// <summary>The broker instance type, e.g. <c>mq.m5.large</c>.</summary>
    string InstanceType { get; }
    /// <summary>Cluster over zones or a single instance.</summary>
    BrokerDeploymentMode? DeploymentMode { get; }
    /// <summary>The RabbitMQ engine version.</summary>
    string? EngineVersion { get; }
    /// <summary>Start of the weekly maintenance window (UTC), <c>ddd:hh:mm</c>.</summary>
    string? MaintenanceWindowStart { get; }
    /// <summary>The administrator user name.</summary>
    string? AdminUsername { get; }
}
