using Amazon.CDK.Assertions;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Networking;

public sealed class NetworkFixture
{
    public Synthesized Result { get; } = Synthesized.Of(TestStacks.WithNetwork().Stack);

    /// <summary>A network with two interface endpoints and an extra bucket for the S3 endpoint.</summary>
    public Synthesized WithEndpoints { get; } = Synthesized.Of(Endpoints());

    private static Amazon.CDK.Stack Endpoints()
    {
        var stack = TestStacks.Empty("Endpoints");
        _ = new Network(stack, "Network", new NetworkProps
        {
            AvailabilityZones = ["us-east-1a", "us-east-1b"], NatGateways = 1,
            InterfaceEndpoints = ["ssm", "ecr.api"], S3EndpointExtraBuckets = ["partner-exports"],
        });
        return stack;
    }
}

public sealed class NetworkTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    private Template Template => fixture.Result.Template;

    [Fact]
    public void SpreadsThreeSubnetTiersOverTheGivenZones()
    {
        Template.ResourceCountIs("AWS::EC2::Subnet", 6);
        var zones = fixture.Result.OfType("AWS::EC2::Subnet").Select(s => (string?)s.Resource["Properties"]!["AvailabilityZone"]).Distinct().Order();
        Assert.Equal(new[] { "us-east-1a", "us-east-1b" }, zones);
        foreach (var tier in new[] { "Public", "Private", "Isolated" })
            Template.HasResource("AWS::EC2::Subnet", new Dictionary<string, object>
            {
                ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Tags"] = Match.ArrayWith(new object[] { new Dictionary<string, object> { ["Key"] = "aws-cdk:subnet-name", ["Value"] = tier } }),
                }),
            });
    }

    [Fact]
    public void TheFlowLogRoleTrustsTheServiceOnlyForThisAccountsFlowLogs()
    {
        var flowLog = fixture.Result.Single("AWS::EC2::FlowLog");
        var roleId = (string)flowLog["DeliverLogsPermissionArn"]!["Fn::GetAtt"]![0]!;
        var role = fixture.Result.Resources.Single(r => r.Id == roleId).Resource["Properties"]!;
        var trust = Assert.Single(role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("vpc-flow-logs.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("AWS::AccountId", (string?)trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!["Ref"]);
        Assert.Contains(":vpc-flow-log/*", trust["Condition"]!["ArnLike"]!["aws:SourceArn"]!.ToJsonString());
    }

    [Fact]
    public void PublicSubnetsDoNotAssignPublicIps() =>
        Assert.All(fixture.Result.OfType("AWS::EC2::Subnet"), s => Assert.NotEqual(true, (bool?)s.Resource["Properties"]!["MapPublicIpOnLaunch"]));

    [Fact]
    public void CreatesTheConfiguredNumberOfNatGateways() => Template.ResourceCountIs("AWS::EC2::NatGateway", 1);

    [Fact]
    public void DefaultCidrIsTen0Slash16() =>
        Template.HasResourceProperties("AWS::EC2::VPC", new Dictionary<string, object> { ["CidrBlock"] = "10.0.0.0/16", ["EnableDnsHostnames"] = true });

    [Fact]
    public void LogsAllTrafficToAKmsEncryptedLogGroupKeptAYearByDefault()
    {
        Template.HasResourceProperties("AWS::EC2::FlowLog", new Dictionary<string, object> { ["TrafficType"] = "ALL", ["ResourceType"] = "VPC" });
        Template.HasResourceProperties("AWS::Logs::LogGroup", new Dictionary<string, object>
        {
            ["RetentionInDays"] = 365,
            ["KmsKeyId"] = Match.ObjectLike(new Dictionary<string, object> { ["Fn::GetAtt"] = Match.ArrayWith(new object[] { "Arn" }) }),
        });
    }

    [Fact]
    public void TheLogKeyRotatesAndAdmitsOnlyCloudWatchLogsOfThisRegion()
    {
        Template.HasResourceProperties("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["EnableKeyRotation"] = true,
            ["KeyPolicy"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(new object[]
                {
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Sid"] = "AllowCloudWatchLogs",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "logs.us-east-1.amazonaws.com" },
                        ["Condition"] = Match.ObjectLike(new Dictionary<string, object> { ["ArnLike"] = Match.AnyValue() }),
                    }),
                }),
            }),
        });
    }

    [Fact]
    public void HasAnS3GatewayEndpoint() =>
        Template.HasResourceProperties("AWS::EC2::VPCEndpoint", new Dictionary<string, object> { ["VpcEndpointType"] = "Gateway" });

    private static System.Text.Json.Nodes.JsonArray S3EndpointStatements(Synthesized result) =>
        result.OfType("AWS::EC2::VPCEndpoint").Single(e => (string?)e.Resource["Properties"]!["VpcEndpointType"] == "Gateway")
            .Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();

    [Fact]
    public void TheS3EndpointAllowsOnlyThisAccountsBucketsAndTheAwsBucketsBootReads()
    {
        var statements = S3EndpointStatements(fixture.Result);
        Assert.Equal(["ThisAccountsBuckets", "AwsBucketsBootReads"], statements.Select(s => (string?)s!["Sid"]));
        Assert.Equal("AWS::AccountId", (string?)statements[0]!["Condition"]!["StringEquals"]!["aws:ResourceAccount"]!["Ref"]);
        Assert.Equal("s3:GetObject", (string?)statements[1]!["Action"]);
        var awsBuckets = statements[1]!["Resource"]!.AsArray().Select(r => r!.ToJsonString()).ToArray();
        Assert.Contains(awsBuckets, r => r.Contains("al2023-repos-us-east-1-de612dc2/*", StringComparison.Ordinal));
        Assert.Contains(awsBuckets, r => r.Contains("prod-us-east-1-starport-layer-bucket/*", StringComparison.Ordinal));
    }

    [Fact]
    public void TheS3EndpointAllowsTheDeclaredExtraBuckets()
    {
        var declared = S3EndpointStatements(fixture.WithEndpoints).Single(s => (string?)s!["Sid"] == "DeclaredBuckets")!;
        Assert.Equal(2, declared["Resource"]!.AsArray().Count);
        Assert.Contains("partner-exports/*", declared["Resource"]![1]!.ToJsonString());
    }

    [Fact]
    public void NoInterfaceEndpointsUnlessNamed() =>
        Assert.DoesNotContain(fixture.Result.OfType("AWS::EC2::VPCEndpoint"), e => (string?)e.Resource["Properties"]!["VpcEndpointType"] == "Interface");

    [Fact]
    public void InterfaceEndpointsUsePrivateDnsInThePrivateSubnetsAndAdmitHttpsFromTheVpcOnly()
    {
        var endpoints = fixture.WithEndpoints.OfType("AWS::EC2::VPCEndpoint")
            .Where(e => (string?)e.Resource["Properties"]!["VpcEndpointType"] == "Interface").ToArray();
        Assert.Equal(["NetworkVpcEcrApiEndpoint", "NetworkVpcSsmEndpoint"], endpoints.Select(e => e.Id[..^8]).Order(StringComparer.Ordinal));
        foreach (var (_, endpoint) in endpoints)
        {
            var props = endpoint["Properties"]!;
            Assert.True((bool)props["PrivateDnsEnabled"]!);
            Assert.All(props["SubnetIds"]!.AsArray(), id => Assert.Contains("PrivateSubnet", id!.ToJsonString()));
            Assert.Equal(2, props["SubnetIds"]!.AsArray().Count);
        }
        Assert.Contains(endpoints, e => e.Resource["Properties"]!["ServiceName"]!.ToJsonString().Contains("com.amazonaws.", StringComparison.Ordinal)
            && e.Resource["Properties"]!["ServiceName"]!.ToJsonString().Contains(".ecr.api", StringComparison.Ordinal));
        var groups = fixture.WithEndpoints.OfType("AWS::EC2::SecurityGroup").Where(g => g.Id.Contains("EndpointSecurityGroup", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, groups.Length);
        Assert.All(groups, g =>
        {
            var ingress = Assert.Single(g.Resource["Properties"]!["SecurityGroupIngress"]!.AsArray())!;
            Assert.Equal(443, (int)ingress["FromPort"]!);
            Assert.Equal("10.0.0.0/16", (string?)ingress["CidrIp"]);
        });
    }

    [Fact]
    public void RestrictsTheDefaultSecurityGroup() => Template.ResourceCountIs("Custom::VpcRestrictDefaultSG", 1);

    [Fact]
    public void TheDefaultSecurityGroupHandlerRunsOnASupportedNodeRuntimeWithoutARedundantDependsOn()
    {
        var (_, handler) = Assert.Single(fixture.Result.OfType("AWS::Lambda::Function"));
        Assert.Equal("nodejs24.x", (string?)handler["Properties"]!["Runtime"]);
        Assert.Null(handler["DependsOn"]);
        Assert.NotNull(handler["Properties"]!["Role"]!["Fn::GetAtt"]); // the order the DependsOn said is kept by the reference
    }

    public static TheoryData<NetworkProps, string> Invalid => new()
    {
        { new NetworkProps { AvailabilityZones = [] }, "AvailabilityZones must list at least one zone" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a", "us-east-1a"] }, "AvailabilityZones = [us-east-1a, us-east-1a] lists us-east-1a twice" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], NatGateways = 0 }, "NatGateways = 0 must be between 1 and the number of zones (1)" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], Cidr = "10.0.0/16" }, "Cidr = 10.0.0/16 must be an IPv4 CIDR block such as 10.0.0.0/16" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], Cidr = "10.0.0.0/25" }, "Cidr = 10.0.0.0/25 must have a prefix between /16 and /24" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], PublicSubnetCidrMask = 15 }, "PublicSubnetCidrMask = 15 must be between 16 and 28" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], IsolatedSubnetCidrMask = 29 }, "IsolatedSubnetCidrMask = 29 must be between 16 and 28" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], InterfaceEndpoints = ["dynamodb"] },
            "InterfaceEndpoints[0] = dynamodb is not an endpoint this network offers; there are ec2messages, ecr.api, ecr.dkr, kms, logs, monitoring, secretsmanager, sns, sqs, ssm, ssmmessages, sts, xray" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], InterfaceEndpoints = ["ssm", "ssm"] }, "InterfaceEndpoints[1] = ssm is listed twice" },
        { new NetworkProps { AvailabilityZones = ["us-east-1a"], S3EndpointExtraBuckets = ["Partner_Exports"] }, "S3EndpointExtraBuckets[0] = Partner_Exports must be an S3 bucket name: 3-63 lower-case letters, digits, dots and dashes" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsPropsOutOfRangeBeforeCreatingAnything(NetworkProps props, string message)
    {
        var stack = TestStacks.Empty();
        var error = Assert.Throws<PropsValidationException>(() => new Network(stack, "Network", props));
        Assert.Equal(message, error.Detail);
        // The component's own node exists (C# runs the base constructor first); nothing was created under it.
        Assert.Empty(stack.Node.FindChild("Network").Node.Children);
    }
}
