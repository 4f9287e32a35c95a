using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;

namespace ScalableBackend.Components.Messaging;

/// <summary>Properties of a <see cref="RabbitMqBroker"/>.</summary>
public sealed record RabbitMqBrokerProps : IRabbitMqBrokerSettings
{
    /// <summary>The VPC. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets the broker runs in (a single instance uses the first). Default: the VPC's isolated subnets.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <summary>The broker instance type, <c>mq.&lt;family&gt;.&lt;size&gt;</c> such as <c>mq.m5.large</c>; <c>mq.t3.micro</c> only as a single instance. Required.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Cluster over zones or a single instance. Default: <see cref="BrokerDeploymentMode.ClusterMultiAz"/>.</summary>
    public BrokerDeploymentMode? DeploymentMode { get; init; }

    /// <summary>The RabbitMQ engine version, <c>3.x</c> such as <c>3.13</c>. Default: <c>3.13</c>.</summary>
    public string? EngineVersion { get; init; }

    /// <summary>Start of the weekly maintenance window in UTC, <c>ddd:hh:mm</c> such as <c>sun:03:00</c>. Default: <c>sun:03:00</c>.</summary>
    public string? MaintenanceWindowStart { get; init; }

    /// <summary>The administrator user name, 2–100 letters, digits, '-', '.', '_' or '~'. Default: <c>broker-admin</c>.</summary>
    public string? AdminUsername { get; init; }

    /// <summary>The customer-managed KMS key encrypting the credentials secret. Default: a new key with rotation, retained on delete.</summary>
    public IKey? EncryptionKey { get; init; }
}
