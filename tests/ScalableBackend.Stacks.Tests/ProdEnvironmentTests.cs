using Amazon.CDK.Assertions;

namespace ScalableBackend.Stacks.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class ProdEnvironmentTests(EnvironmentFixture environments)
{
    private Template Edge => environments.Prod.Edge.Template;
    private Template Platform => environments.Prod.Platform.Template;
    private Template Api => environments.Prod.Service("api").Template;
    private Template Web => environments.Prod.Service("web").Template;

    [Fact]
    public void StackIsNamedBackendProd() =>
        Assert.Equal("Backend-Prod", environments.Prod.Definition.StackName);

    [Fact]
    public void LoadBalancerIsInternetFacingWithDeletionProtectionAndDroppedInvalidHeaders() =>
        Edge.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", new Dictionary<string, object>
        {
            ["Scheme"] = "internet-facing",
            ["LoadBalancerAttributes"] = Match.ArrayWith(new object[]
            {
                new Dictionary<string, object> { ["Key"] = "deletion_protection.enabled", ["Value"] = "true" },
                new Dictionary<string, object> { ["Key"] = "routing.http.drop_invalid_header_fields.enabled", ["Value"] = "true" },
                new Dictionary<string, object> { ["Key"] = "access_logs.s3.enabled", ["Value"] = "true" },
            }),
        });

    [Fact]
    public void HttpsListenerUsesTheCertificateAndATls12Policy() =>
        Edge.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTPS",
            ["Port"] = 443,
            ["SslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06",
            ["Certificates"] = new object[] { new Dictionary<string, object> { ["CertificateArn"] = Match.StringLikeRegexp("^arn:aws:acm:us-east-1:222222222222:certificate/") } },
        });

    [Fact]
    public void HttpListenerOnlyRedirectsToHttps()
    {
        var http = environments.Prod.Edge.OfType("AWS::ElasticLoadBalancingV2::Listener")
            .Single(l => (string?)l.Resource["Properties"]!["Protocol"] == "HTTP");
        var actions = http.Resource["Properties"]!["DefaultActions"]!.AsArray();
        Assert.Single(actions);
        Assert.Equal("redirect", (string?)actions[0]!["Type"]);
        Assert.Equal("HTTPS", (string?)actions[0]!["RedirectConfig"]!["Protocol"]);
        // Nothing but the redirect hangs off the HTTP listener.
        Assert.DoesNotContain(environments.Prod.OfType("AWS::ElasticLoadBalancingV2::ListenerRule"),
            r => r.Resource["Properties"]!["ListenerArn"]!.ToJsonString().Contains(http.Id));
        // The services' rules attach to the listener the edge exports, which is the HTTPS one.
        var exported = environments.Prod.Edge.Outputs["ServiceListenerArn"]!["Value"]!.ToJsonString();
        Assert.DoesNotContain(http.Id, exported);
        Assert.Contains(environments.Prod.Edge.OfType("AWS::ElasticLoadBalancingV2::Listener"),
            l => (string?)l.Resource["Properties"]!["Protocol"] == "HTTPS" && exported.Contains(l.Id));
        Assert.All(environments.Prod.OfType("AWS::ElasticLoadBalancingV2::ListenerRule"), r =>
            Assert.Equal("{\"Fn::ImportValue\":\"Backend-Prod-Edge:ServiceListenerArn\"}", r.Resource["Properties"]!["ListenerArn"]!.ToJsonString()));
    }

    [Fact]
    public void AccessLogBucketIsEncryptedPrivateAndExpires() =>
        Edge.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["BucketEncryption"] = new Dictionary<string, object>
            {
                ["ServerSideEncryptionConfiguration"] = new object[] { new Dictionary<string, object> { ["ServerSideEncryptionByDefault"] = new Dictionary<string, object> { ["SSEAlgorithm"] = "AES256" } } },
            },
            ["PublicAccessBlockConfiguration"] = new Dictionary<string, object> { ["BlockPublicAcls"] = true, ["RestrictPublicBuckets"] = true },
            ["LifecycleConfiguration"] = new Dictionary<string, object>
            {
                ["Rules"] = Match.ArrayWith(new object[] { Match.ObjectLike(new Dictionary<string, object> { ["ExpirationInDays"] = 365, ["Status"] = "Enabled" }) }),
            },
        });

    [Fact]
    public void EachServiceHasATargetGroupWithHealthCheckAndOneUsesLeastOutstandingRequests()
    {
        var groups = environments.Prod.OfType("AWS::ElasticLoadBalancingV2::TargetGroup").ToArray();
        Assert.Equal(2, groups.Length);
        Assert.Single(environments.Prod.Service("api").OfType("AWS::ElasticLoadBalancingV2::TargetGroup"));
        Assert.Single(environments.Prod.Service("web").OfType("AWS::ElasticLoadBalancingV2::TargetGroup"));
        Assert.All(groups, g => Assert.False(string.IsNullOrEmpty((string?)g.Resource["Properties"]!["HealthCheckPath"])));
        Api.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["HealthCheckPath"] = "/api/health",
            ["HealthCheckIntervalSeconds"] = 10,
            ["HealthCheckTimeoutSeconds"] = 5,
            ["HealthyThresholdCount"] = 2,
            ["UnhealthyThresholdCount"] = 3,
            ["Matcher"] = new Dictionary<string, object> { ["HttpCode"] = "200" },
            ["TargetGroupAttributes"] = Match.ArrayWith(new object[]
            {
                new Dictionary<string, object> { ["Key"] = "deregistration_delay.timeout_seconds", ["Value"] = "30" },
                new Dictionary<string, object> { ["Key"] = "load_balancing.algorithm.type", ["Value"] = "least_outstanding_requests" },
            }),
        });
    }

    [Fact]
    public void ListenerRulesRouteByPathAndHostWithTheFilesPriorities()
    {
        Api.HasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", new Dictionary<string, object>
        {
            ["Priority"] = 100,
            ["Conditions"] = Match.ArrayWith(new object[]
            {
                Match.ObjectLike(new Dictionary<string, object> { ["Field"] = "path-pattern", ["PathPatternConfig"] = new Dictionary<string, object> { ["Values"] = new[] { "/api/*" } } }),
                Match.ObjectLike(new Dictionary<string, object> { ["Field"] = "host-header", ["HostHeaderConfig"] = new Dictionary<string, object> { ["Values"] = new[] { "origin.example.com" } } }),
            }),
        });
        Web.HasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", new Dictionary<string, object> { ["Priority"] = 200 });
    }

    [Fact]
    public void LaunchTemplatesRequireImdsv2EncryptGp3VolumesAndHaveNoPublicIp()
    {
        var templates = environments.Prod.OfType("AWS::EC2::LaunchTemplate").ToArray();
        Assert.Equal(4, templates.Length); // two services, two workers
        foreach (var (_, lt) in templates)
        {
            var data = lt["Properties"]!["LaunchTemplateData"]!;
            Assert.Equal("required", (string?)data["MetadataOptions"]!["HttpTokens"]);
            var ebs = data["BlockDeviceMappings"]![0]!["Ebs"]!;
            Assert.True((bool)ebs["Encrypted"]!);
            Assert.Equal("gp3", (string?)ebs["VolumeType"]);
            Assert.False((bool)data["NetworkInterfaces"]![0]!["AssociatePublicIpAddress"]!);
        }
    }

    [Fact]
    public void InstanceRolesHaveOnlySsmAndCloudWatchAgentPolicies()
    {
        var roles = environments.Prod.AllResources.Where(r => (string?)r.Resource["Type"] == "AWS::IAM::Role")
            .Where(r => r.Resource["Properties"]!["AssumeRolePolicyDocument"]!.ToJsonString().Contains("ec2.amazonaws.com"))
            .ToArray();
        Assert.Equal(4, roles.Length); // two services, two workers, each in its own stack
        Assert.Equal(4, roles.Select(r => r.Stack.Name).Distinct().Count());
        foreach (var (stack, id, role) in roles)
        {
            // No managed policy: Session Manager and the agent get scoped policies of their own (AmazonSSMManagedInstanceCore
            // would let every instance read every SSM parameter; CloudWatchAgentServerPolicy writes logs on *).
            Assert.Null(role["Properties"]!["ManagedPolicyArns"]);
            Assert.Null(role["Properties"]!["Policies"]);
            // The only inline grants are the data tier's (DataTierTests): reading its parameters and secrets, by name;
            // messaging's (MessagingTests): sending/consuming their queues, publishing their events, connecting to brokers;
            // and the edge's (EdgeTests): invoking exactly the internal API routes the service is a declared caller of.
            // The CloudWatch agent's own policy (ObservabilityTests) is checked below.
            var policies = stack.OfType("AWS::IAM::Policy").Where(p => p.Resource["Properties"]!["Roles"]!.ToJsonString().Contains(id)).ToArray();
            var session = Assert.Single(policies, p => p.Id.Contains("SessionManagerPolicy", StringComparison.Ordinal));
            Assert.All(session.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(), statement =>
                Assert.All(statement!["Action"]!.AsArray(), a => Assert.Matches("^(ssm:UpdateInstanceInformation|ssmmessages:(Create|Open)(Control|Data)Channel)$", (string?)a)));
            // The boot policy (pull its image, read its declared secrets, signal its stack) is checked in ContainerTemplateTests;
            // the group adds cloudformation:SignalResource on its own stack to the default policy (its signals).
            var granted = policies.Where(p => !p.Id.Contains("AgentPolicy", StringComparison.Ordinal) && !p.Id.Contains("SessionManagerPolicy", StringComparison.Ordinal)
                    && !p.Id.Contains("BootPolicy", StringComparison.Ordinal))
                .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray());
            var agent = Assert.Single(policies, p => p.Id.Contains("AgentPolicy", StringComparison.Ordinal));
            Assert.All(agent.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(), statement =>
            {
                var actions = statement!["Action"] is System.Text.Json.Nodes.JsonArray list ? list.Select(a => (string?)a) : [(string?)statement["Action"]];
                var wildcard = statement["Resource"]!.ToJsonString().Trim('"') == "*";
                Assert.All(actions, a => Assert.Matches(wildcard
                    ? "^(cloudwatch:PutMetricData|ec2:DescribeTags|xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets|GetSamplingStatisticSummaries))$"
                    : "^(ssm:GetParameter|logs:(CreateLogStream|PutLogEvents|DescribeLogStreams))$", a));
            });
            Assert.All(granted, statement =>
            {
                var actions = statement!["Action"] is System.Text.Json.Nodes.JsonArray list ? list.Select(a => (string?)a) : [(string?)statement["Action"]];
                Assert.All(actions, a => Assert.Matches("^(ssm:(Get|Describe)Parameter|secretsmanager:(GetSecretValue|DescribeSecret)|sqs:(SendMessage|ReceiveMessage|DeleteMessage|ChangeMessageVisibility|GetQueueAttributes|GetQueueUrl)$|kms:(Decrypt|GenerateDataKey)|sns:Publish$|kafka-cluster:|kafka:GetBootstrapBrokers$|elasticache:Connect$|execute-api:Invoke$|rds-db:connect$|logs:(CreateLogStream|PutLogEvents)$|cloudformation:SignalResource$)", a));
                Assert.NotEqual("*", statement["Resource"]!.ToJsonString().Trim('"'));
                // The container's log driver writes to the member's own log group only.
                if (actions.Any(a => a!.StartsWith("logs:", StringComparison.Ordinal)))
                    Assert.Contains($"/backend/prod/{(stack.Identity.Role == StackRole.Worker ? "worker" : "service")}/{stack.Identity.Key}", statement["Resource"]!.ToJsonString(), StringComparison.Ordinal);
            });
        }
    }

    [Fact]
    public void AutoScalingGroupsSpanThreeZonesWithElbHealthChecksAndRollingUpdates()
    {
        var groups = environments.Prod.OfType("AWS::AutoScaling::AutoScalingGroup").Where(g => g.Id.StartsWith("Service", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, groups.Length); // the workers' groups have no load balancer (MessagingTests)
        foreach (var (_, asg) in groups)
        {
            Assert.Equal(3, asg["Properties"]!["VPCZoneIdentifier"]!.AsArray().Count);
            Assert.Equal("ELB", (string?)asg["Properties"]!["HealthCheckType"]);
            Assert.NotNull(asg["UpdatePolicy"]!["AutoScalingRollingUpdate"]);
            // A desired capacity in the template would reset a scaled-out group on every deployment.
            Assert.Null(asg["Properties"]!["DesiredCapacity"]);
        }
        Api.HasResourceProperties("AWS::AutoScaling::AutoScalingGroup", new Dictionary<string, object>
        {
            ["MinSize"] = "3", ["MaxSize"] = "12", ["HealthCheckGracePeriod"] = 180,
        });
    }

    [Fact]
    public void ApiScalesOnCpuRequestsAndACustomMetric()
    {
        Api.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["PolicyType"] = "TargetTrackingScaling",
            ["TargetTrackingConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["PredefinedMetricSpecification"] = new Dictionary<string, object> { ["PredefinedMetricType"] = "ASGAverageCPUUtilization" },
                ["TargetValue"] = 60,
            }),
        });
        Api.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["TargetTrackingConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["PredefinedMetricSpecification"] = Match.ObjectLike(new Dictionary<string, object> { ["PredefinedMetricType"] = "ALBRequestCountPerTarget" }),
                ["TargetValue"] = 1000,
            }),
        });
        Api.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["TargetTrackingConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["CustomizedMetricSpecification"] = new Dictionary<string, object>
                {
                    ["Namespace"] = "Backend/Api", ["MetricName"] = "LatencyP99Ms", ["Statistic"] = "Average",
                    ["Dimensions"] = new object[] { new Dictionary<string, object> { ["Name"] = "Service", ["Value"] = "api" } },
                },
                ["TargetValue"] = 250,
            }),
        });
    }

    [Fact]
    public void ApiHasStepScalingOnACustomMetricAlarm()
    {
        Api.HasResourceProperties("AWS::AutoScaling::ScalingPolicy", new Dictionary<string, object>
        {
            ["PolicyType"] = "StepScaling",
            ["StepAdjustments"] = Match.ArrayWith(new object[] { Match.ObjectLike(new Dictionary<string, object> { ["ScalingAdjustment"] = 4 }) }),
        });
        Api.HasResourceProperties("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["Namespace"] = "Backend/Api", ["MetricName"] = "InFlightRequests", ["Threshold"] = 800,
        });
    }

    [Fact]
    public void ApiHasScheduledActionsInTheFilesTimeZone()
    {
        Assert.Equal(2, environments.Prod.Service("api").OfType("AWS::AutoScaling::ScheduledAction").Count(a => a.Id.StartsWith("Service", StringComparison.Ordinal)));
        Api.HasResourceProperties("AWS::AutoScaling::ScheduledAction", new Dictionary<string, object>
        {
            ["Recurrence"] = "0 7 * * 1-5", ["TimeZone"] = "Europe/Berlin", ["MinSize"] = 6,
        });
    }

    [Fact]
    public void VpcHasThreeTiersOverThreeZonesWithANatGatewayPerZone()
    {
        Platform.HasResourceProperties("AWS::EC2::VPC", new Dictionary<string, object> { ["CidrBlock"] = "10.30.0.0/16" });
        Platform.ResourceCountIs("AWS::EC2::Subnet", 9);
        Platform.ResourceCountIs("AWS::EC2::NatGateway", 3);
        Assert.Equal(9, environments.Prod.OfType("AWS::EC2::Subnet").Count());
        var zones = environments.Prod.Platform.OfType("AWS::EC2::Subnet").Select(s => (string?)s.Resource["Properties"]!["AvailabilityZone"]).Distinct().Order();
        Assert.Equal(new[] { "us-east-1a", "us-east-1b", "us-east-1c" }, zones);
    }

    [Fact]
    public void FlowLogsGoToAnEncryptedLogGroupWithTheFilesRetention()
    {
        Platform.HasResourceProperties("AWS::EC2::FlowLog", new Dictionary<string, object>
        {
            ["ResourceType"] = "VPC", ["TrafficType"] = "ALL", ["LogDestinationType"] = "cloud-watch-logs",
        });
        Platform.HasResourceProperties("AWS::Logs::LogGroup", new Dictionary<string, object>
        {
            ["RetentionInDays"] = 365,
            ["KmsKeyId"] = Match.ObjectLike(new Dictionary<string, object> { ["Fn::GetAtt"] = Match.AnyValue() }),
        });
    }

    [Fact]
    public void VpcHasAnS3GatewayEndpoint() =>
        Platform.HasResourceProperties("AWS::EC2::VPCEndpoint", new Dictionary<string, object>
        {
            ["VpcEndpointType"] = "Gateway",
            ["ServiceName"] = Match.ObjectLike(new Dictionary<string, object> { ["Fn::Join"] = Match.ArrayWith(new object[] { Match.ArrayWith(new object[] { ".s3" }) }) }),
        });

    [Fact]
    public void InstancesAdmitTrafficOnlyFromTheLoadBalancer()
    {
        // Rules of the instances' groups; the data stores' rules are DataTierTests'.
        var ingress = environments.Prod.OfType("AWS::EC2::SecurityGroupIngress")
            .Where(i => i.Resource["Properties"]!["GroupId"]!.ToJsonString().Contains("\"Service", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, ingress.Length);
        Assert.All(ingress, i =>
        {
            Assert.NotNull(i.Resource["Properties"]!["SourceSecurityGroupId"]);
            Assert.Null(i.Resource["Properties"]!["CidrIp"]);
            Assert.Equal(8080, (int)i.Resource["Properties"]!["FromPort"]!);
            Assert.Equal("{\"Fn::ImportValue\":\"Backend-Prod-Edge:LoadBalancerSecurityGroupId\"}", i.Resource["Properties"]!["SourceSecurityGroupId"]!.ToJsonString());
        });
    }
}
