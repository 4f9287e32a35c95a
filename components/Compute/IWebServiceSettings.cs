using Amazon.CDK;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// The plain-data settings of a <see cref="WebService"/> — everything but the CDK objects it is wired to —
/// so a data file can be validated with the same rules as the component's props.
/// </summary>
public interface IWebServiceSettings
{
    /// <summary>How requests are routed to the service.</summary>
    ServiceRouting Routing { get; }
    /// <summary>Minimum number of instances.</summary>
    int MinCapacity { get; }
    /// <summary>Maximum number of instances.</summary>
    int MaxCapacity { get; }
    /// <summary>Initial desired number of instances.</summary>
    int? DesiredCapacity { get; }
    /// <summary>The application port.</summary>
    int? Port { get; }
    /// <summary>Root volume size in GiB.</summary>
    int? RootVolumeSizeGiB { get; }
    /// <summary>Target group health check.</summary>
    ServiceHealthCheck? HealthCheck { get; }
    /// <summary>Deregistration delay.</summary>
    Duration? DeregistrationDelay { get; }
    /// <summary>Protocol from the load balancer to the instances.</summary>
    TargetProtocol? TargetProtocol { get; }
    /// <summary>Load-balancing algorithm.</summary>
    LoadBalancingAlgorithm? LoadBalancingAlgorithm { get; }
    /// <summary>ELB health check grace period.</summary>
    Duration? HealthCheckGracePeriod { get; }
    /// <summary>Scaling triggers.</summary>
    ServiceScaling? Scaling { get; }
}
