using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.S3;
using Constructs;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// The Application Load Balancer that several <see cref="WebService"/>s share: an HTTPS listener with a TLS 1.2+
/// policy, an HTTP listener that only redirects to HTTPS, invalid header fields dropped, deletion protection
/// and access logs to an encrypted bucket with a lifecycle rule. Requests that match no service get a 404, or a 403
/// when the load balancer serves only the API (<see cref="ServiceLoadBalancerProps.OriginCheck"/>): then each
/// service's rule also requires the API's origin header, so a request that did not come through the API reaches no
/// service.
/// </summary>
public sealed class ServiceLoadBalancer : Construct
{
    /// <summary>The TLS policy used when none is given: TLS 1.3 and 1.2.</summary>
    public static readonly SslPolicy DefaultSslPolicy = SslPolicy.RECOMMENDED_TLS;

    /// <summary>The load balancer.</summary>
    public ApplicationLoadBalancer LoadBalancer { get; }

    /// <summary>The listener services add their routing rules to: HTTPS, or HTTP when <see cref="LoadBalancerSettings.AllowPlainHttp"/>.</summary>
    public ApplicationListener ServiceListener { get; }

    /// <summary>The HTTPS listener; null only in plain-HTTP mode.</summary>
    public ApplicationListener? HttpsListener { get; }

    /// <summary>The HTTP listener: a redirect to HTTPS, or the service listener in plain-HTTP mode.</summary>
    public ApplicationListener HttpListener { get; }

    /// <summary>The load balancer's security group.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The access log bucket (given or created).</summary>
    public IBucket AccessLogBucket { get; }

    /// <summary>The origin check every service rule requires; null when anyone may call the services.</summary>
    public OriginCheck? OriginCheck { get; }

    /// <summary>Creates the load balancer; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="ArgumentException">A property is out of its allowed range, or neither a certificate nor plain HTTP is configured.</exception>
    public ServiceLoadBalancer(Construct scope, string id, ServiceLoadBalancerProps props) : base(scope, id)
    {
        Validate(props, props.HasCertificate);
        var internetFacing = props.InternetFacing ?? true;
        var plainHttp = props.AllowPlainHttp ?? false;

        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = "Load balancer: HTTPS (and HTTP redirect) from clients",
            AllowAllOutbound = false,
        });
        var clients = internetFacing ? Peer.AnyIpv4() : Peer.Ipv4(props.Vpc.VpcCidrBlock);
        SecurityGroup.AddIngressRule(clients, Port.Tcp(443), "HTTPS from clients");
        SecurityGroup.AddIngressRule(clients, Port.Tcp(80), plainHttp ? "HTTP from clients (no certificate)" : "HTTP from clients, redirected to HTTPS");

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = props.Vpc,
            InternetFacing = internetFacing,
            VpcSubnets = new SubnetSelection { SubnetType = internetFacing ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS },
            SecurityGroup = SecurityGroup,
            DropInvalidHeaderFields = true,
            DeletionProtection = props.DeletionProtection ?? true,
            IdleTimeout = props.IdleTimeout ?? Duration.Seconds(60),
            Http2Enabled = true,
        });

        AccessLogBucket = props.AccessLogBucket ?? new Bucket(this, "AccessLogs", new BucketProps
        {
            // Load balancers write access logs only with SSE-S3.
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Versioned = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
            LifecycleRules = new ILifecycleRule[]
            {
                new LifecycleRule
                {
                    Id = "ExpireAccessLogs",
                    Expiration = Duration.Days(props.AccessLogExpirationDays ?? 90),
                    NoncurrentVersionExpiration = Duration.Days(7),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
            },
        });
        LoadBalancer.LogAccessLogs(AccessLogBucket, "alb");
        if (props.AccessLogBucket is null)
            Security.PolicyAcknowledgement.Apply(AccessLogBucket, new Security.PolicyAcknowledgement("AwsSolutions-S1",
                "This bucket is the load balancer's access-log destination; logging requests to it would need another " +
                "log bucket (S3 advises against a bucket logging into itself), and only the load balancer's log delivery writes to it."));
        if (internetFacing)
            Security.PolicyAcknowledgement.Apply(SecurityGroup, new Security.PolicyAcknowledgement("AwsSolutions-EC23",
                "An internet-facing load balancer takes HTTPS (and HTTP, redirected) from any address by design, on those two " +
                "ports only; with an origin check every listener rule also requires the API's secret header and the default action answers 403."));

        OriginCheck = props.OriginCheck;
        var notFound = props.OriginCheck is null
            ? ListenerAction.FixedResponse(404, new FixedResponseOptions { ContentType = "text/plain", MessageBody = "Not Found" })
            : ListenerAction.FixedResponse(403, new FixedResponseOptions { ContentType = "text/plain", MessageBody = "Forbidden" });
        if (plainHttp)
        {
            HttpListener = LoadBalancer.AddListener("Http", new BaseApplicationListenerProps
            {
                Protocol = ApplicationProtocol.HTTP, Port = 80, Open = false, DefaultAction = notFound,
            });
            PolicyAcknowledgement.Apply(HttpListener,
                new PolicyAcknowledgement("SB-ELB-002", "The environment declares it has no certificate (AllowPlainHttp); traffic is plain HTTP by that explicit choice."));
            ServiceListener = HttpListener;
        }
        else
        {
            HttpsListener = LoadBalancer.AddListener("Https", new BaseApplicationListenerProps
            {
                Protocol = ApplicationProtocol.HTTPS, Port = 443, Open = false,
                Certificates = new IListenerCertificate[] { ListenerCertificate.FromCertificateManager(props.Certificate!) },
                SslPolicy = props.SslPolicy ?? DefaultSslPolicy,
                DefaultAction = notFound,
            });
            HttpListener = LoadBalancer.AddListener("Http", new BaseApplicationListenerProps
            {
                Protocol = ApplicationProtocol.HTTP, Port = 80, Open = false,
                DefaultAction = ListenerAction.Redirect(new RedirectOptions { Protocol = "HTTPS", Port = "443", Permanent = true }),
            });
            ServiceListener = HttpsListener;
        }
    }

    /// <summary>
    /// The DNS record that makes <paramref name="host"/> (a name on the certificate the API calls the load balancer by)
    /// resolve to this load balancer, for a zone the stack cannot write: a CNAME to the load balancer's DNS name.
    /// </summary>
    public RequiredDnsRecord DnsRecordFor(string host) =>
        new(host, "CNAME", LoadBalancer.LoadBalancerDnsName, "the name the API calls the load balancer by (on its certificate), pointing at the load balancer");

    /// <summary>
    /// Checks the settings of a load balancer that has a certificate or not (<paramref name="hasCertificate"/>); throws
    /// naming the property, the value and what is allowed.
    /// </summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range, or neither a certificate nor plain HTTP is configured.</exception>
    public static void Validate(LoadBalancerSettings s, bool hasCertificate)
    {
        var plainHttp = s.AllowPlainHttp ?? false;
        if (!hasCertificate && !plainHttp)
            throw new PropsValidationException("Certificate", null, "is required unless allowPlainHttp is true: plain HTTP is never a default");
        if (hasCertificate && plainHttp)
            throw new PropsValidationException(nameof(s.AllowPlainHttp), true, "must not be set when a certificate is given");
        if (s.AccessLogExpirationDays is { } days && days < 1)
            throw new PropsValidationException(nameof(s.AccessLogExpirationDays), days, "must be at least 1");
        if (s.IdleTimeout is { } idle && !idle.IsUnresolved() && (idle.ToSeconds() < 1 || idle.ToSeconds() > 4000))
            throw new PropsValidationException(nameof(s.IdleTimeout), $"{idle.ToSeconds()}s", "must be between 1s and 4000s");
    }
}
