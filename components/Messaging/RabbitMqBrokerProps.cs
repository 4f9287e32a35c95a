using System.Diagnostics.CodeAnalysis;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;

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
/// The plain-data settings of a <see cref="RabbitMqBroker"/> — everything but the CDK objects it is wired to. A data
/// file's record derives from it, so both are validated by <see cref="RabbitMqBroker.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record RabbitMqBrokerSettings
{
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
}

/// <summary>Properties of a <see cref="RabbitMqBroker"/>: its <see cref="RabbitMqBrokerSettings"/> and what it is wired to.</summary>
public sealed record RabbitMqBrokerProps : RabbitMqBrokerSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public RabbitMqBrokerProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the VPC the broker runs in.</summary>
    [SetsRequiredMembers]
    public RabbitMqBrokerProps(RabbitMqBrokerSettings settings, IVpc vpc) : base(settings)
    {
        Vpc = vpc;
    }

    /// <summary>The VPC. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets the broker runs in (a single instance uses the first). Default: the VPC's isolated subnets.</summary>
    public SubnetSelection? Subnets { get; init; }

    /// <summary>The customer-managed KMS key encrypting the credentials secrets. Default: a new key with rotation, retained on delete.</summary>
    public IKey? EncryptionKey { get; init; }

    /// <summary>
    /// The broker's users besides the administrator, each a RabbitMQ user with its own generated secret and the
    /// permissions of <see cref="RabbitMqBroker.Permissions"/>, created through the management API by a custom
    /// resource. Amazon MQ's user name rule. Default: none.
    /// </summary>
    public IReadOnlyList<string>? Users { get; init; }

    /// <summary>
    /// The subnets the user provisioner function runs in: it calls the broker's management API and Secrets Manager.
    /// Default: the VPC's private subnets with egress.
    /// </summary>
    public SubnetSelection? ProvisionerSubnets { get; init; }

    /// <summary>Days the broker's log groups (the user provisioner's) keep their events; a value CloudWatch Logs accepts. Default: 365.</summary>
    public int? LogRetentionDays { get; init; }

    /// <summary>The key encrypting the broker's log groups (the environment's log key); it must admit CloudWatch Logs. Default: a new log key.</summary>
    public IKey? LogEncryptionKey { get; init; }
}
