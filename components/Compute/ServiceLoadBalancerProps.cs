using System.Diagnostics.CodeAnalysis;
using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.S3;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// The plain-data settings of a <see cref="ServiceLoadBalancer"/> — everything but the CDK objects it is wired to (its
/// certificate and TLS policy are given differently by props and by a data file). A data file's record derives from
/// it, so both are validated by <see cref="ServiceLoadBalancer.Validate"/> with one set of rules and one set of
/// documented defaults.
/// </summary>
public record LoadBalancerSettings
{
    /// <summary>
    /// Serve the services over plain HTTP because there is no certificate (for a throw-away environment). Default: false.
    /// Must not be set together with a certificate.
    /// </summary>
    public bool? AllowPlainHttp { get; init; }

    /// <summary>Whether the load balancer faces the internet. Default: true.</summary>
    public bool? InternetFacing { get; init; }

    /// <summary>Whether CloudFormation may not delete the load balancer. Default: true.</summary>
    public bool? DeletionProtection { get; init; }

    /// <summary>Idle connection timeout, 1 to 4000 seconds. Default: 60 seconds.</summary>
    public Duration? IdleTimeout { get; init; }

    /// <summary>Days access logs are kept before expiring, at least 1. Default: 90.</summary>
    public int? AccessLogExpirationDays { get; init; }
}

/// <summary>Properties of a <see cref="ServiceLoadBalancer"/>: its <see cref="LoadBalancerSettings"/> and what it is wired to.</summary>
public sealed record ServiceLoadBalancerProps : LoadBalancerSettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public ServiceLoadBalancerProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record) and the VPC the load balancer goes into.</summary>
    [SetsRequiredMembers]
    public ServiceLoadBalancerProps(LoadBalancerSettings settings, IVpc vpc) : base(settings)
    {
        Vpc = vpc;
    }

    /// <summary>Whether <see cref="Certificate"/> is set.</summary>
    public bool HasCertificate => Certificate is not null;

    /// <summary>The VPC; the load balancer goes into its public subnets when internet-facing, else its private ones. Required.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>
    /// The certificate of the HTTPS listener. Default: none — then <see cref="LoadBalancerSettings.AllowPlainHttp"/>
    /// must be true, because plain HTTP is never a default.
    /// </summary>
    public ICertificate? Certificate { get; init; }

    /// <summary>The TLS policy of the HTTPS listener. Default: <c>ELBSecurityPolicy-TLS13-1-2-2021-06</c> (TLS 1.2 and 1.3).</summary>
    public SslPolicy? SslPolicy { get; init; }

    /// <summary>
    /// Only requests through the API are served: the listeners' default action answers 403 instead of 404, and every
    /// service's rule must require this check (<see cref="WebServiceProps.OriginCheck"/>). Default: none (404 for
    /// unrouted requests; anyone may call the services).
    /// </summary>
    public Security.OriginCheck? OriginCheck { get; init; }

    /// <summary>The bucket receiving access logs (must use SSE-S3; load balancers cannot write with SSE-KMS). Default: a new encrypted, TLS-only, private bucket with a lifecycle rule.</summary>
    public IBucket? AccessLogBucket { get; init; }
}
