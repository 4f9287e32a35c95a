namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>The resolver behind the rules: parameter defaults, names written as text, and what a statement covers.</summary>
public sealed class ResolverRuleTests
{
    private const string Bucket = """
        Parameters:
          App: { Type: String, Default: shop }
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties: { BucketName: !Sub "${App}-${AWS::Region}-${AWS::AccountId}" }
          Policy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Sub "${App}-${AWS::Region}-${AWS::AccountId}"
              PolicyDocument:
                Statement:
                  - Effect: Deny
                    Principal: { AWS: "*" }
                    Action: s3:*
                    Resource: RESOURCES
                    Condition: { Bool: { aws:SecureTransport: false } }
        """;

    private static IReadOnlyList<Finding> BucketWith(string resources, string action = "s3:*", string principal = "{ AWS: \"*\" }") =>
        TestTemplates.Check(Bucket.Replace("RESOURCES", resources, StringComparison.Ordinal)
            .Replace("Action: s3:*", $"Action: {action}", StringComparison.Ordinal)
            .Replace("Principal: { AWS: \"*\" }", $"Principal: {principal}", StringComparison.Ordinal)).Only("SB-S3-002");

    [Fact]
    public void A_policy_naming_the_bucket_by_the_same_Sub_text_covers_bucket_and_objects()
    {
        Assert.Empty(BucketWith("""[!Sub "arn:${AWS::Partition}:s3:::${App}-${AWS::Region}-${AWS::AccountId}", !Sub "arn:${AWS::Partition}:s3:::${App}-${AWS::Region}-${AWS::AccountId}/*"]"""));
    }

    [Theory]
    [InlineData("""[!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]""")]
    [InlineData("""["*"]""")]
    [InlineData("""[arn:aws:s3:::shop-*]""")]
    [InlineData("""[!Join ["", ["arn:aws:s3:::", !Ref Bucket]], !Join ["", ["arn:aws:s3:::", !Ref Bucket, "/*"]]]""")]
    public void Other_spellings_of_the_bucket_and_its_objects_cover_it(string resources)
    {
        Assert.Empty(BucketWith(resources));
    }

    [Theory]
    [InlineData("""[!Sub "${Bucket.Arn}/logs/*"]""", "a prefix only")]
    [InlineData("""[!GetAtt Bucket.Arn]""", "the bucket without its objects")]
    [InlineData("""[!Sub "${Bucket.Arn}/*"]""", "the objects without the bucket")]
    [InlineData("""[arn:aws:s3:::other, arn:aws:s3:::other/*]""", "another bucket")]
    public void A_deny_that_does_not_cover_bucket_and_objects_does_not_count(string resources, string why)
    {
        Assert.True(BucketWith(resources).Count == 1, why);
    }

    [Fact]
    public void A_deny_for_some_principals_or_some_actions_does_not_count()
    {
        Assert.Single(BucketWith("[\"*\"]", principal: "{ AWS: arn:aws:iam::1:root }"));
        Assert.Single(BucketWith("[\"*\"]", action: "s3:GetObject"));
        Assert.Empty(BucketWith("[\"*\"]", principal: "\"*\"", action: "\"*\""));
    }

    [Fact]
    public void Queue_and_topic_policies_link_by_url_and_arn_text()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Queue: { Type: AWS::SQS::Queue, Properties: { QueueName: jobs, RedriveAllowPolicy: { redrivePermission: allowAll } } }
              Topic: { Type: AWS::SNS::Topic, Properties: { TopicName: events } }
              QueuePolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [!Sub "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/jobs"]
                  PolicyDocument:
                    Statement: [{ Effect: Deny, Principal: "*", Action: "sqs:*", Resource: !Sub "arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs", Condition: { Bool: { aws:SecureTransport: false } } }]
              TopicPolicy:
                Type: AWS::SNS::TopicPolicy
                Properties:
                  Topics: [!Sub "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:events"]
                  PolicyDocument:
                    Statement: [{ Effect: Deny, Principal: "*", Action: "sns:Publish", Condition: { Bool: { aws:SecureTransport: false } } }]
            """);

        Assert.Empty(findings.Only("SB-SQS-002"));
        Assert.Empty(findings.Only("SB-SNS-002"));
    }

    [Theory]
    [InlineData("0.0.0.0/0", "allows 0.0.0.0/0 (parameter Ssh by default) on tcp 22")]
    [InlineData("192.168.1.0/0", "allows 192.168.1.0/0 (parameter Ssh by default) on tcp 22")]
    public void A_cidr_parameter_defaulting_to_any_slash_zero_is_open_by_default(string cidr, string message)
    {
        var findings = TestTemplates.Check($$"""
            Parameters:
              Ssh: { Type: String, Default: "{{cidr}}" }
            Resources:
              Group:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: ssh
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !Ref Ssh }]
            """).Only("SB-EC2-002");

        Assert.Equal($"SecurityGroupIngress[0]: {message}", Assert.Single(findings).Message);
    }

    [Theory]
    [InlineData("Ssh: { Type: String }", "!Ref Ssh")]
    [InlineData("Ssh: { Type: String, Default: 10.0.0.0/8 }", "!Ref Ssh")]
    [InlineData("Ssh: { Type: String }", "10.0.0.0/16")]
    public void A_cidr_that_is_not_slash_zero_or_unknown_passes(string parameter, string cidr)
    {
        Assert.Empty(TestTemplates.Check($$"""
            Parameters:
              {{parameter}}
            Resources:
              Group:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: ssh
                  SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: {{cidr}} }]
            """).Only("SB-EC2-002"));
    }

    private const string LoadBalancerGroup = """
        Resources:
          LbSg:
            Type: AWS::EC2::SecurityGroup
            Properties:
              GroupDescription: lb
              SecurityGroupIngress:
                - { IpProtocol: "-1", CidrIp: 0.0.0.0/0 }
                - { IpProtocol: icmp, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0 }
          Lb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: { Scheme: SCHEME, SecurityGroups: [!GetAtt LbSg.GroupId], Subnets: [a, b] }
        """;

    [Fact]
    public void All_traffic_on_an_internet_facing_load_balancers_own_group_passes()
    {
        Assert.Empty(TestTemplates.Check(LoadBalancerGroup.Replace("SCHEME", "internet-facing", StringComparison.Ordinal)).Only("SB-EC2-002"));
    }

    [Fact]
    public void All_traffic_on_an_internal_load_balancers_group_fails_but_icmp_is_not_judged()
    {
        var finding = Assert.Single(TestTemplates.Check(LoadBalancerGroup.Replace("SCHEME", "internal", StringComparison.Ordinal)).Only("SB-EC2-002"));

        Assert.Equal("SecurityGroupIngress[0]: allows 0.0.0.0/0 on all traffic", finding.Message);
    }

    [Fact]
    public void A_load_balancer_group_that_is_also_on_a_launch_template_is_judged()
    {
        var findings = TestTemplates.Check(LoadBalancerGroup.Replace("SCHEME", "internet-facing", StringComparison.Ordinal) + "\n" + """
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: required }, SecurityGroupIds: [!Ref LbSg] } }
            """);

        Assert.Single(findings.Only("SB-EC2-002"));
    }

    [Theory]
    [InlineData("""ImageId: "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}" """, 0)]
    [InlineData("ImageId: !Ref Image", 0)]
    [InlineData("ImageId: !Ref OldImage", 1)]
    [InlineData("ImageId: ami-12345678", 1)]
    [InlineData("{ ImageId: !Ref Image, MetadataOptions: { HttpTokens: optional } }", 1)]
    [InlineData("{ ImageId: ami-1, MetadataOptions: { HttpEndpoint: disabled } }", 0)]
    [InlineData("{ ImageId: ami-1, LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: 1 } }", 0)]
    public void Instances_require_imdsv2_unless_their_image_or_launch_template_does(string properties, int expected)
    {
        var body = properties.StartsWith('{') ? properties : "{ " + properties + " }";
        var findings = TestTemplates.Check($$"""
            Parameters:
              Image: { Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64 }
              OldImage: { Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2 }
            Resources:
              Template: { Type: AWS::EC2::LaunchTemplate, Properties: { LaunchTemplateData: { MetadataOptions: { HttpTokens: required } } } }
              Instance: { Type: AWS::EC2::Instance, Properties: {{body}} }
            """).Only("SB-EC2-003");

        Assert.Equal(expected, findings.Count);
    }

    [Fact]
    public void A_launch_template_on_amazon_linux_2023_passes_without_http_tokens()
    {
        Assert.Empty(TestTemplates.Check("""
            Parameters:
              Image: { Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64 }
            Resources:
              Template: { Type: AWS::EC2::LaunchTemplate, Properties: { LaunchTemplateData: { ImageId: !Ref Image } } }
            """).Only("SB-EC2-003"));
    }

    [Theory]
    [InlineData("internal", 0)]
    [InlineData("internet-facing", 1)]
    public void Http_listeners_are_judged_only_on_internet_facing_load_balancers(string scheme, int expected)
    {
        var findings = TestTemplates.Check($$"""
            Resources:
              Lb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Scheme: {{scheme}}, Subnets: [a, b] } }
              Http:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { LoadBalancerArn: !Ref Lb, Port: 80, Protocol: HTTP, DefaultActions: [{ Type: forward }] }
              Classic:
                Type: AWS::ElasticLoadBalancing::LoadBalancer
                Properties: { Scheme: {{scheme}}, Listeners: [{ LoadBalancerPort: 80, InstancePort: 80, Protocol: HTTP }] }
            """).Only("SB-ELB-002");

        Assert.Equal(expected * 2, findings.Count);
    }

    [Theory]
    [InlineData("TCP", 0)]
    [InlineData("TLS", 1)]
    public void Network_load_balancers_need_access_logs_only_with_a_tls_listener(string protocol, int expected)
    {
        var findings = TestTemplates.Check($$"""
            Parameters:
              Kind: { Type: String, Default: network }
            Resources:
              Lb: { Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: { Type: !Ref Kind, Subnets: [a, b] } }
              Listener:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: { LoadBalancerArn: !Ref Lb, Port: 443, Protocol: {{protocol}}, SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06, DefaultActions: [{ Type: forward }] }
            """).Only("SB-ELB-001");

        Assert.Equal(expected, findings.Count);
    }

    [Theory]
    [InlineData("HealthCheckPath: /", "HealthCheckPath is \"/\", which a static page answers while the application is broken")]
    [InlineData("HealthCheckPath: !Ref Path", "HealthCheckPath is \"/\" (parameter Path by default), which a static page answers while the application is broken")]
    [InlineData("Port: 80", "HealthCheckPath is missing (default \"/\")")]
    public void Target_groups_on_slash_are_reported(string property, string message)
    {
        var findings = TestTemplates.Check($$"""
            Parameters:
              Path: { Type: String, Default: / }
            Resources:
              Targets: { Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: { Protocol: HTTP, {{property}} } }
            """).Only("SB-ELB-005");

        Assert.Equal(message, Assert.Single(findings).Message);
    }

    [Fact]
    public void A_fixed_size_group_is_reported_once_as_such()
    {
        var finding = Assert.Single(TestTemplates.Check("""
            Parameters:
              Size: { Type: Number, Default: 2 }
            Resources:
              Group:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: "2", MaxSize: !Ref Size, VPCZoneIdentifier: [a, b] }
            """).Only("SB-ASG-001"));

        Assert.Equal("MaxSize 2 (parameter Size by default) is not greater than MinSize 2: a fixed-size fleet that never adds capacity", finding.Message);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public void Managed_policies_are_judged_from_the_shipped_list()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {}
                  ManagedPolicyArns:
                    - !Join ["", ["arn:", !Ref "AWS::Partition", ":iam::aws:policy/AdministratorAccess"]]
                    - arn:aws:iam::aws:policy/ReadOnlyAccessNotListed
                    - arn:aws:iam::123456789012:policy/AmazonS3FullAccess
            """).Only("SB-IAM-003");

        Assert.Equal("ManagedPolicyArns attaches AWS managed AdministratorAccess (admin: * on *)", Assert.Single(findings).Message);
    }

    [Fact]
    public void A_launch_configuration_is_reported_on_its_group_or_alone_when_no_group_uses_it()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Used:
                Type: AWS::AutoScaling::LaunchConfiguration
                Properties: { ImageId: ami-12345678, InstanceType: t3.micro }
              Unused:
                Type: AWS::AutoScaling::LaunchConfiguration
                Properties: { ImageId: ami-12345678, InstanceType: t3.micro }
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, VPCZoneIdentifier: [a, b], LaunchConfigurationName: !Ref Used }
              Legacy:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, VPCZoneIdentifier: [a, b], LaunchConfigurationName: made-by-hand }
            """).Only("SB-ASG-005");

        Assert.Equal(
            [("Legacy", "launches from the launch configuration made-by-hand"),
             ("Unused", "is a launch configuration (no group of the template uses it, but creating it fails in accounts without launch configurations)"),
             ("Web", "launches from the launch configuration Used")],
            findings.Select(f => (f.LogicalId, f.Message)).Order());
        Assert.All(findings, f => Assert.Equal(Severity.Error, f.Severity));
    }
}
