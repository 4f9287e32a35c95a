using System.Net;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Constructs;
using ScalableBackend.Components.Observability;

namespace ScalableBackend.Components.Networking;

/// <summary>
/// A VPC over explicit availability zones with three subnet tiers — public (load balancers, NAT gateways),
/// private with egress (services) and isolated (data stores) — VPC flow logs to an encrypted log group, an
/// S3 gateway endpoint with a policy, and the interface endpoints the settings name. Zones are given, never looked up, so synthesis needs no AWS account.
/// </summary>
public sealed partial class Network : Construct
{
    /// <summary>The VPC.</summary>
    public IVpc Vpc { get; }

    /// <summary>The log group receiving VPC flow logs (all traffic).</summary>
    public ILogGroup FlowLogGroup { get; }

    /// <summary>The key encrypting the flow log group (given or created).</summary>
    public IKey LogEncryptionKey { get; }

    /// <summary>The interface VPC endpoints, keyed by endpoint name (<see cref="NetworkSettings.InterfaceEndpoints"/>).</summary>
    public IReadOnlyDictionary<string, InterfaceVpcEndpoint> InterfaceEndpoints { get; }

    /// <summary>The endpoint names <see cref="NetworkSettings.InterfaceEndpoints"/> accepts: the AWS APIs the instances call.</summary>
    public static readonly IReadOnlyList<string> InterfaceEndpointServices =
        ["ec2messages", "ecr.api", "ecr.dkr", "kms", "logs", "monitoring", "secretsmanager", "sns", "sqs", "ssm", "ssmmessages", "sts", "xray"];

    private static string EndpointIdPart(string name) =>
        string.Concat(name.Split('.').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>
    /// The S3 gateway endpoint's policy: this account's buckets (<c>aws:ResourceAccount</c>), reading the AWS buckets
    /// boot needs — Amazon Linux 2023's repositories (<c>al2023-repos-&lt;region&gt;-de612dc2</c>, Amazon Linux 2023
    /// user guide), ECR's image layers (<c>prod-&lt;region&gt;-starport-layer-bucket</c>, ECR user guide, "Minimum Amazon
    /// S3 bucket permissions for Amazon ECR") and SSM Agent's (<c>aws-ssm-&lt;region&gt;</c>, <c>amazon-ssm-&lt;region&gt;</c>,
    /// Systems Manager user guide, "SSM Agent communications with AWS managed S3 buckets") — and the extra buckets named.
    /// Without a policy the endpoint allows every bucket of every account (VPC user guide, "Control access to VPC
    /// endpoints using endpoint policies").
    /// </summary>
    private static void RestrictS3Endpoint(GatewayVpcEndpoint endpoint, IReadOnlyList<string> extraBuckets)
    {
        var stack = Stack.Of(endpoint);
        endpoint.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ThisAccountsBuckets",
            Principals = [new AnyPrincipal()],
            Actions = ["s3:*"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:ResourceAccount"] = stack.Account },
            },
        }));
        string Bucket(string name) => $"arn:{stack.Partition}:s3:::{name}";
        endpoint.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AwsBucketsBootReads",
            Principals = [new AnyPrincipal()],
            Actions = ["s3:GetObject"],
            Resources =
            [
                Bucket($"al2023-repos-{stack.Region}-de612dc2/*"),
                Bucket($"prod-{stack.Region}-starport-layer-bucket/*"),
                Bucket($"aws-ssm-{stack.Region}/*"),
                Bucket($"amazon-ssm-{stack.Region}/*"),
            ],
        }));
        if (extraBuckets.Count > 0)
            endpoint.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = "DeclaredBuckets",
                Principals = [new AnyPrincipal()],
                Actions = ["s3:*"],
                Resources = extraBuckets.SelectMany(b => new[] { Bucket(b), Bucket($"{b}/*") }).ToArray(),
            }));
    }

    /// <summary>Creates the network; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="ArgumentException">A property is out of its allowed range.</exception>
    public Network(Construct scope, string id, NetworkProps props) : base(scope, id)
    {
        Validate(props);
        var zones = props.AvailabilityZones.ToArray();

        var vpc = new Vpc(this, "Vpc", new VpcProps
        {
            IpAddresses = IpAddresses.Cidr(props.Cidr ?? "10.0.0.0/16"),
            AvailabilityZones = zones,
            NatGateways = props.NatGateways ?? zones.Length,
            EnableDnsHostnames = true,
            EnableDnsSupport = true,
            RestrictDefaultSecurityGroup = true,
            SubnetConfiguration = new ISubnetConfiguration[]
            {
                new SubnetConfiguration { Name = "Public", SubnetType = SubnetType.PUBLIC, CidrMask = props.PublicSubnetCidrMask ?? 24, MapPublicIpOnLaunch = false },
                new SubnetConfiguration { Name = "Private", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = props.PrivateSubnetCidrMask ?? 20 },
                new SubnetConfiguration { Name = "Isolated", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = props.IsolatedSubnetCidrMask ?? 24 },
            },
        });
        UpdateDefaultSecurityGroupHandler(this);
        foreach (var subnet in vpc.PublicSubnets.Concat(vpc.PrivateSubnets).Concat(vpc.IsolatedSubnets))
            Security.PolicyAcknowledgement.Apply(subnet, new Security.PolicyAcknowledgement("W3010",
                "The zones are given (an environment file's network.availabilityZones), never looked up: synthesis stays offline and credential-free, and a subnet never moves zone when AWS adds one. Zone names map to physical zones per account, so the file lists the target account's zones."));
        var s3Endpoint = vpc.AddGatewayEndpoint("S3Endpoint", new GatewayVpcEndpointOptions { Service = GatewayVpcEndpointAwsService.S3 });
        RestrictS3Endpoint(s3Endpoint, props.S3EndpointExtraBuckets ?? []);
        var endpoints = new Dictionary<string, InterfaceVpcEndpoint>(StringComparer.Ordinal);
        foreach (var name in (props.InterfaceEndpoints ?? []).Order(StringComparer.Ordinal))
        {
            var endpoint = vpc.AddInterfaceEndpoint($"{EndpointIdPart(name)}Endpoint", new InterfaceVpcEndpointOptions
            {
                Service = new InterfaceVpcEndpointAwsService(name),
                PrivateDnsEnabled = true,
                Subnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
                Open = false,
            });
            // Its own security group: HTTPS from the VPC's CIDR only, written out (the given CIDR, not a GetAtt) so
            // reviewers can read it (cdk-nag's AwsSolutions-EC23 cannot evaluate an intrinsic).
            endpoint.Connections.AllowFrom(Peer.Ipv4(props.Cidr ?? "10.0.0.0/16"), Port.Tcp(443), $"HTTPS to the {name} endpoint from the VPC");
            endpoints[name] = endpoint;
        }
        InterfaceEndpoints = endpoints;

        LogEncryptionKey = props.LogEncryptionKey ?? CreateLogKey(this, "FlowLogKey", "VPC flow logs");
        FlowLogGroup = EncryptedLogGroup.Create(this, "FlowLogs", new EncryptedLogGroupProps
        {
            EncryptionKey = LogEncryptionKey,
            Retention = props.FlowLogRetention ?? RetentionDays.ONE_YEAR,
        });
        // The flow-log service may assume the role only for this account's flow logs (confused-deputy conditions, as the
        // VPC user guide's "IAM role for publishing flow logs to CloudWatch Logs" shows).
        var stack = Stack.Of(this);
        var flowLogRole = new Role(this, "FlowLogRole", new RoleProps
        {
            Description = $"VPC flow logs of {Node.Path} into their log group",
            AssumedBy = new ServicePrincipal("vpc-flow-logs.amazonaws.com").WithConditions(new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{stack.Partition}:ec2:{stack.Region}:{stack.Account}:vpc-flow-log/*" },
            }),
        });
        vpc.AddFlowLog("FlowLog", new FlowLogOptions
        {
            Destination = FlowLogDestination.ToCloudWatchLogs(FlowLogGroup, flowLogRole),
            TrafficType = FlowLogTrafficType.ALL,
        });
        Vpc = vpc;
    }

    /// <summary>The Lambda runtime of the custom resource that strips the VPC's default security group (CDK 2.160 writes nodejs20.x).</summary>
    public const string DefaultSecurityGroupHandlerRuntime = "nodejs24.x";

    /// <summary>
    /// The CDK writes the function that strips the default security group's rules (one per stack) on nodejs20.x,
    /// which AWS deprecated on 2026-04-30 and stops creating on 2027-02-01 (Lambda runtimes page; AWS's validator
    /// W2531, cdk-nag AwsSolutions-L1): run it on <see cref="DefaultSecurityGroupHandlerRuntime"/> (its handler is an
    /// async function using the SDK v3 the runtime ships), drop the DependsOn its GetAtt already implies (W3005), and
    /// acknowledge the role's managed basic-execution policy (log writes only).
    /// </summary>
    private static void UpdateDefaultSecurityGroupHandler(Construct scope)
    {
        var provider = Stack.Of(scope).Node.TryFindChild("Custom::VpcRestrictDefaultSGCustomResourceProvider");
        if (provider?.Node.TryFindChild("Handler") is CfnResource handler)
        {
            handler.AddPropertyOverride("Runtime", DefaultSecurityGroupHandlerRuntime);
            handler.AddDeletionOverride("DependsOn");
        }
        if (provider?.Node.TryFindChild("Role") is CfnResource role)
        {
            Security.PolicyAcknowledgement.Apply(role, new Security.PolicyAcknowledgement(
                "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "The CDK's custom-resource provider role: AWSLambdaBasicExecutionRole grants only CloudWatch Logs writes for the function's own logs; its EC2 permissions are an inline policy on this VPC's default security group."));
        }
    }

    /// <summary>
    /// A customer-managed KMS key with rotation that CloudWatch Logs in this stack's region may use to encrypt log groups.
    /// </summary>
    public static IKey CreateLogKey(Construct scope, string id, string purpose)
    {
        var key = new Key(scope, id, new KeyProps
        {
            Description = $"Encrypts {purpose} log groups",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        var stack = Stack.Of(scope);
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowCloudWatchLogs",
            Principals = new IPrincipal[] { new ServicePrincipal($"logs.{stack.Region}.amazonaws.com") },
            Actions = new[] { "kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*" },
            Resources = new[] { "*" }, // a key policy's resource is always the key itself
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:logs:arn"] = $"arn:{stack.Partition}:logs:{stack.Region}:{stack.Account}:log-group:*",
                },
            },
        }));
        return key;
    }

    /// <summary>Checks the settings of a network; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(NetworkSettings s)
    {
        var zones = s.AvailabilityZones;
        if (zones.Count == 0)
            throw new PropsValidationException(nameof(s.AvailabilityZones), null, "must list at least one zone");
        var duplicate = zones.GroupBy(z => z).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new PropsValidationException(nameof(s.AvailabilityZones), zones, $"lists {duplicate.Key} twice");
        if (s.NatGateways is { } nat && (nat < 1 || nat > zones.Count))
            throw new PropsValidationException(nameof(s.NatGateways), nat, $"must be between 1 and the number of zones ({zones.Count})");
        if (s.Cidr is { } cidr && !Token.IsUnresolved(cidr))
        {
            if (!TryParseCidr(cidr, out var prefix))
                throw new PropsValidationException(nameof(s.Cidr), cidr, "must be an IPv4 CIDR block such as 10.0.0.0/16");
            if (prefix < 16 || prefix > 24)
                throw new PropsValidationException(nameof(s.Cidr), cidr, "must have a prefix between /16 and /24");
        }
        CheckMask(nameof(s.PublicSubnetCidrMask), s.PublicSubnetCidrMask);
        CheckMask(nameof(s.PrivateSubnetCidrMask), s.PrivateSubnetCidrMask);
        CheckMask(nameof(s.IsolatedSubnetCidrMask), s.IsolatedSubnetCidrMask);
        var endpoints = s.InterfaceEndpoints ?? [];
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (!InterfaceEndpointServices.Contains(endpoints[i]))
                throw new PropsValidationException($"{nameof(s.InterfaceEndpoints)}[{i}]", endpoints[i], $"is not an endpoint this network offers; there are {string.Join(", ", InterfaceEndpointServices)}");
            if (endpoints.Take(i).Contains(endpoints[i]))
                throw new PropsValidationException($"{nameof(s.InterfaceEndpoints)}[{i}]", endpoints[i], "is listed twice");
        }
        var buckets = s.S3EndpointExtraBuckets ?? [];
        for (var i = 0; i < buckets.Count; i++)
            if (!BucketNamePattern().IsMatch(buckets[i]))
                throw new PropsValidationException($"{nameof(s.S3EndpointExtraBuckets)}[{i}]", buckets[i], "must be an S3 bucket name: 3-63 lower-case letters, digits, dots and dashes");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial System.Text.RegularExpressions.Regex BucketNamePattern();

    private static void CheckMask(string name, int? mask)
    {
        if (mask is { } m && (m < 16 || m > 28))
            throw new PropsValidationException(name, m, "must be between 16 and 28");
    }

    /// <summary>Parses an IPv4 CIDR block such as <c>10.0.0.0/16</c>.</summary>
    public static bool TryParseCidr(string cidr, out int prefix)
    {
        prefix = 0;
        var parts = cidr.Split('/');
        return parts.Length == 2
            && IPAddress.TryParse(parts[0], out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            && parts[0].Count(c => c == '.') == 3
            && int.TryParse(parts[1], out prefix) && prefix is >= 0 and <= 32;
    }
}
