namespace ScalableBackend.Policies.Tests;

/// <summary>Values that cannot be known from the template must not produce "missing" findings.</summary>
public sealed class IntrinsicValueTests
{
    [Fact]
    public void Conditional_flags_are_unknown_and_pass()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Db:
                Type: AWS::RDS::DBInstance
                Properties:
                  StorageEncrypted: !If [IsProd, true, false]
                  MultiAZ: !Ref MultiAz
                  DeletionProtection: !If [IsProd, true, false]
              Cache:
                Type: AWS::ElastiCache::ReplicationGroup
                Properties: { AtRestEncryptionEnabled: !Ref Flag, TransitEncryptionEnabled: !Ref Flag, MultiAZEnabled: !Ref Flag, AutomaticFailoverEnabled: !Ref Flag }
            """);

        Assert.DoesNotContain(findings, f => f.RuleId is "SB-RDS-001" or "SB-RDS-004" or "SB-RDS-005" or "SB-EC-001" or "SB-EC-002" or "SB-EC-003");
    }

    [Fact]
    public void Subnet_list_parameter_is_not_counted()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Web:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: { MinSize: 1, MaxSize: 4, VPCZoneIdentifier: !Ref Subnets }
            """);

        Assert.Empty(findings.Only("SB-ASG-002"));
    }

    [Fact]
    public void Secret_from_a_resource_attribute_passes()
    {
        var findings = TestTemplates.Check("""
            Resources:
              Db:
                Type: AWS::RDS::DBInstance
                Properties:
                  MasterUserPassword: !Join ["", ["{{resolve:secretsmanager:", !Ref Secret, ":SecretString:password}}"]]
            """);

        Assert.Empty(findings.Only("SB-SEC-001"));
    }
}
