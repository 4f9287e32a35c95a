namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-EC2-002/004 (open ingress) and SB-EC2-003 (IMDSv2): each branch, one small template per case.</summary>
public sealed class Ec2BranchTests
{
    private static IReadOnlyList<Finding> Check(string yaml, string rule) => TestTemplates.Check(yaml).Only(rule);

    /// <summary>An instance's security group with one ingress resource whose properties are <paramref name="ingress"/>.</summary>
    private static string InstanceIngress(string ingress) => $$"""
        Parameters:
          Proto: { Type: String }
        Resources:
          AppSg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: app } }
          Instances:
            Type: AWS::EC2::Instance
            Properties: { ImageId: ami-1, SecurityGroupIds: [!GetAtt AppSg.GroupId], MetadataOptions: { HttpTokens: required } }
          Open:
            Type: AWS::EC2::SecurityGroupIngress
            Properties: { GroupId: !GetAtt AppSg.GroupId, {{ingress}} }
        """;

    [Theory]
    [InlineData("IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIpv6: ::/0", "allows ::/0 on tcp 22 on AppSg")]
    [InlineData("IpProtocol: tcp, FromPort: 80, ToPort: 443, CidrIp: 0.0.0.0/0", "allows 0.0.0.0/0 on tcp 80-443 on AppSg")]
    [InlineData("IpProtocol: udp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0", "allows 0.0.0.0/0 on udp 443 on AppSg")]
    [InlineData("IpProtocol: \"-1\", CidrIp: 0.0.0.0/0", "allows 0.0.0.0/0 on all traffic on AppSg")]
    [InlineData("IpProtocol: all, CidrIp: 0.0.0.0/0", "allows 0.0.0.0/0 on all traffic on AppSg")]
    [InlineData("IpProtocol: !Ref Proto, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0", "allows 0.0.0.0/0 on ? 22 on AppSg")]
    public void Ingress_from_anywhere_on_a_port_other_than_web_is_an_error(string ingress, string expected)
    {
        var yaml = InstanceIngress(ingress);

        var finding = Assert.Single(Check(yaml, "SB-EC2-002"));
        Assert.Equal("Open", finding.LogicalId);
        Assert.Equal(expected, finding.Message);
        Assert.Empty(Check(yaml, "SB-EC2-004"));
    }

    [Theory]
    [InlineData("IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0", "allows 0.0.0.0/0 on tcp 443 on AppSg")]
    [InlineData("IpProtocol: \"6\", FromPort: 80, ToPort: 80, CidrIpv6: ::/0", "allows ::/0 on 6 80 on AppSg")]
    public void Web_ports_open_to_anywhere_on_instances_are_a_warning_not_an_error(string ingress, string expected)
    {
        var yaml = InstanceIngress(ingress);

        Assert.Equal(expected, Assert.Single(Check(yaml, "SB-EC2-004")).Message);
        Assert.Empty(Check(yaml, "SB-EC2-002"));
    }

    [Theory]
    [InlineData("icmp")]
    [InlineData("ICMP")]
    [InlineData("\"1\"")]
    [InlineData("icmpv6")]
    [InlineData("\"58\"")]
    public void Icmp_from_anywhere_is_not_judged(string protocol)
    {
        var yaml = InstanceIngress($"IpProtocol: {protocol}, FromPort: -1, ToPort: -1, CidrIp: 0.0.0.0/0, CidrIpv6: ::/0");

        Assert.Empty(Check(yaml, "SB-EC2-002"));
        Assert.Empty(Check(yaml, "SB-EC2-004"));
    }

    [Theory]
    [InlineData("CidrIpv6: 2001:db8::/32")]
    [InlineData("CidrIp: 10.0.0.0/8")]
    [InlineData("CidrIp: 10.0.0.0/8, CidrIpv6: 2001:db8::/32")]
    public void Ingress_from_a_narrower_range_passes(string source)
    {
        Assert.Empty(Check(InstanceIngress($"IpProtocol: tcp, FromPort: 22, ToPort: 22, {source}"), "SB-EC2-002"));
    }

    [Fact]
    public void An_ingress_resource_that_names_its_group_by_group_name_is_followed_to_the_group()
    {
        var yaml = """
            Resources:
              AppSg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: app } }
              Ssh:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupName: !Ref AppSg, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0 }
            """;

        var finding = Assert.Single(Check(yaml, "SB-EC2-002"));
        Assert.Equal("Ssh", finding.LogicalId);
        Assert.Equal("allows 0.0.0.0/0 on tcp 22 on AppSg", finding.Message);
    }

    [Fact]
    public void Web_ingress_by_group_name_to_a_public_load_balancers_group_passes()
    {
        var yaml = """
            Resources:
              LbSg: { Type: AWS::EC2::SecurityGroup, Properties: { GroupDescription: lb } }
              Lb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: { SecurityGroups: [!Ref LbSg], Subnets: [a, b] }
              Web:
                Type: AWS::EC2::SecurityGroupIngress
                Properties: { GroupName: !Ref LbSg, IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }
            """;

        Assert.Empty(Check(yaml, "SB-EC2-004"));
    }

    // ---------------- SB-EC2-003 IMDSv2

    private const string OptionalTemplate = """
          Template:
            Type: AWS::EC2::LaunchTemplate
            Properties:
              LaunchTemplateData: { MetadataOptions: { HttpTokens: optional } }
        """;

    [Fact]
    public void An_instance_without_metadata_options_is_told_the_image_decides()
    {
        var yaml = """
            Resources:
              Box: { Type: AWS::EC2::Instance, Properties: { ImageId: ami-1 } }
            """;

        var finding = Assert.Single(Check(yaml, "SB-EC2-003"));
        Assert.Equal("Box", finding.LogicalId);
        Assert.Equal("MetadataOptions.HttpTokens is missing (IMDSv1 allowed by the image)", finding.Message);
    }

    [Theory]
    [InlineData("LaunchTemplateId")]
    [InlineData("LaunchTemplateName")]
    public void An_instance_from_a_launch_template_of_the_template_is_judged_there(string key)
    {
        var yaml = $$"""
            Resources:
            {{OptionalTemplate}}
              Box:
                Type: AWS::EC2::Instance
                Properties: { ImageId: ami-1, LaunchTemplate: { {{key}}: !Ref Template, Version: "1" } }
            """;

        var finding = Assert.Single(Check(yaml, "SB-EC2-003"));
        Assert.Equal("Template", finding.LogicalId);
    }

    [Fact]
    public void An_instance_from_a_launch_template_that_sets_its_own_options_is_judged_on_itself()
    {
        var yaml = $$"""
            Resources:
            {{OptionalTemplate}}
              Box:
                Type: AWS::EC2::Instance
                Properties: { ImageId: ami-1, LaunchTemplate: { LaunchTemplateId: !Ref Template, Version: "1" }, MetadataOptions: { HttpTokens: optional } }
            """;

        Assert.Equal(["Box", "Template"], Check(yaml, "SB-EC2-003").Select(f => f.LogicalId).Order(StringComparer.Ordinal));
    }
}
