namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-ASG-001/003/004: each branch of the Auto Scaling group rules, one small template per case.</summary>
public sealed class AutoScalingBranchTests
{
    private static IReadOnlyList<Finding> Check(string yaml, string rule) => TestTemplates.Check(yaml).Only(rule);

    private static string Group(string properties, string others = "") => $$"""
        Resources:
          Web:
            Type: AWS::AutoScaling::AutoScalingGroup
            Properties: { MinSize: 1, MaxSize: 4, {{properties}} }
        {{others}}
        """;

    // ---------------- SB-ASG-001 can scale

    [Fact]
    public void A_fixed_size_group_sized_by_parameter_defaults_names_the_parameters()
    {
        var yaml = """
            Parameters:
              Min: { Type: Number, Default: 3 }
              Max: { Type: Number, Default: 3 }
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: !Ref Min, MaxSize: !Ref Max, VPCZoneIdentifier: [a, b] }
            """;

        var finding = Assert.Single(Check(yaml, "SB-ASG-001"));

        Assert.Equal("Web", finding.LogicalId);
        Assert.Equal("MaxSize 3 (parameter Max by default) is not greater than MinSize 3 (parameter Min by default): a fixed-size fleet that never adds capacity", finding.Message);
    }

    [Fact]
    public void A_group_that_could_grow_but_nothing_scales_is_reported()
    {
        var finding = Assert.Single(Check(Group("VPCZoneIdentifier: [a, b]"), "SB-ASG-001"));

        Assert.Equal("Web", finding.LogicalId);
        Assert.Equal("no scaling policy or scheduled action refers to the group", finding.Message);
    }

    // ---------------- SB-ASG-003 ELB health check

    [Theory]
    [InlineData("TargetGroupARNs: []")]
    [InlineData("LoadBalancerNames: []")]
    [InlineData("HealthCheckType: EC2")]
    [InlineData("HealthCheckType: EC2, TargetGroupARNs: []")]
    public void A_group_behind_no_load_balancer_may_keep_the_ec2_health_check(string properties)
    {
        Assert.Empty(Check(Group(properties), "SB-ASG-003"));
    }

    [Theory]
    [InlineData("LoadBalancerNames: [classic]")]
    [InlineData("LoadBalancerNames: !Ref Names")]
    [InlineData("TargetGroupARNs: !Ref Targets")]
    public void A_group_behind_a_classic_load_balancer_or_an_unknown_list_needs_the_elb_check(string properties)
    {
        var finding = Assert.Single(Check(Group(properties), "SB-ASG-003"));

        Assert.Equal("HealthCheckType is missing (EC2) although the group is behind a load balancer", finding.Message);
    }

    [Fact]
    public void An_explicit_ec2_health_check_behind_a_load_balancer_is_reported_as_written()
    {
        var finding = Assert.Single(Check(Group("LoadBalancerNames: [classic], HealthCheckType: EC2"), "SB-ASG-003"));

        Assert.Equal("HealthCheckType is EC2 although the group is behind a load balancer", finding.Message);
    }

    [Theory]
    [InlineData("ELB")]
    [InlineData("!Ref HealthCheck")]
    public void An_elb_or_unknown_health_check_behind_a_load_balancer_passes(string type)
    {
        Assert.Empty(Check(Group($"LoadBalancerNames: [classic], HealthCheckType: {type}"), "SB-ASG-003"));
    }

    // ---------------- SB-ASG-004 no public IP

    private const string PublicTemplate = """
          Template:
            Type: AWS::EC2::LaunchTemplate
            Properties:
              LaunchTemplateData:
                NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }]
        """;

    [Theory]
    [InlineData("LaunchTemplate: { LaunchTemplateName: !Ref Template, Version: \"1\" }")]
    [InlineData("MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: !Ref Template, Version: \"1\" } } }")]
    [InlineData("MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateName: !Ref Template, Version: \"1\" } } }")]
    public void A_launch_template_named_or_in_a_mixed_instances_policy_is_followed(string launch)
    {
        var finding = Assert.Single(Check(Group(launch, PublicTemplate), "SB-ASG-004"));

        Assert.Equal("Web", finding.LogicalId);
        Assert.Equal("Template sets AssociatePublicIpAddress: true", finding.Message);
    }

    [Fact]
    public void A_launch_configuration_with_a_public_address_is_reported()
    {
        var config = """
              Config:
                Type: AWS::AutoScaling::LaunchConfiguration
                Properties: { ImageId: ami-1, InstanceType: t3.micro, AssociatePublicIpAddress: true }
            """;

        var finding = Assert.Single(Check(Group("LaunchConfigurationName: !Ref Config", config), "SB-ASG-004"));

        Assert.Equal("Config sets AssociatePublicIpAddress: true", finding.Message);
    }

    [Fact]
    public void A_launch_configuration_without_a_public_address_passes()
    {
        var config = """
              Config:
                Type: AWS::AutoScaling::LaunchConfiguration
                Properties: { ImageId: ami-1, InstanceType: t3.micro, AssociatePublicIpAddress: false }
              Public: { Type: AWS::EC2::Subnet, Properties: { MapPublicIpOnLaunch: true } }
            """;

        Assert.Empty(Check(Group("LaunchConfigurationName: !Ref Config, VPCZoneIdentifier: [!Ref Public]", config), "SB-ASG-004"));
    }

    private const string Subnets = """
          PublicA: { Type: AWS::EC2::Subnet, Properties: { MapPublicIpOnLaunch: true } }
          PublicB: { Type: AWS::EC2::Subnet, Properties: { MapPublicIpOnLaunch: true } }
          Private: { Type: AWS::EC2::Subnet, Properties: { MapPublicIpOnLaunch: false } }
          Quiet: { Type: AWS::EC2::Subnet, Properties: { CidrBlock: 10.0.1.0/24 } }
        """;

    [Fact]
    public void A_group_without_a_launch_setting_in_public_subnets_names_them()
    {
        var finding = Assert.Single(Check(Group("VPCZoneIdentifier: [!Ref PublicA, !Ref Private, !Ref PublicB]", Subnets), "SB-ASG-004"));

        Assert.Equal("Web", finding.LogicalId);
        Assert.Equal("launches into subnets with MapPublicIpOnLaunch: true (PublicA, PublicB)", finding.Message);
    }

    [Fact]
    public void A_group_in_private_subnets_passes()
    {
        Assert.Empty(Check(Group("VPCZoneIdentifier: [!Ref Private, !Ref Quiet, subnet-123]", Subnets), "SB-ASG-004"));
    }

    [Fact]
    public void A_launch_template_that_sets_no_address_leaves_it_to_the_subnets()
    {
        var template = """
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    NetworkInterfaces: [{ DeviceIndex: 0, Groups: [sg-1] }]
            """ + "\n" + Subnets;

        var finding = Assert.Single(Check(Group("VPCZoneIdentifier: [!Ref PublicA], LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: \"1\" }", template), "SB-ASG-004"));

        Assert.Equal("launches into subnets with MapPublicIpOnLaunch: true (PublicA)", finding.Message);
    }
}
