using Amazon.CDK;

namespace ScalableBackend.Components.Compute;

/// <summary>The plain-data settings of a <see cref="ServiceLoadBalancer"/>, validated by <see cref="ServiceLoadBalancer.Validate"/>.</summary>
public interface ILoadBalancerSettings
{
    /// <summary>Whether a certificate is configured.</summary>
    bool HasCertificate { get; }
    /// <summary>Whether plain HTTP is explicitly allowed.</summary>
    bool? AllowPlainHttp { get; }
    /// <summary>Days access logs are kept.</summary>
    int? AccessLogExpirationDays { get; }
    /// <summary>Idle connection timeout.</summary>
    Duration? IdleTimeout { get; }
}
