namespace ScalableBackend.Stacks.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class AllEnvironmentsTests(EnvironmentFixture environments)
{
    [Fact]
    public void StacksAreNamedPerEnvironment() =>
        Assert.Equal(new[] { "Backend-Dev", "Backend-Staging", "Backend-Prod" }, environments.All.Select(e => e.Definition.StackName));

    [Fact]
    public void EveryLogGroupHasRetentionAndAKmsKey()
    {
        foreach (var env in environments.All)
        {
            var groups = env.OfType("AWS::Logs::LogGroup").ToArray();
            Assert.NotEmpty(groups);
            foreach (var (id, group) in groups)
            {
                Assert.True(group["Properties"]?["RetentionInDays"] is not null, $"{env.Definition.StackName}/{id} has no RetentionInDays");
                Assert.True(group["Properties"]?["KmsKeyId"] is not null, $"{env.Definition.StackName}/{id} has no KmsKeyId");
            }
        }
    }

    [Fact]
    public void LogGroupsAreInTheTemplateNotLeftToALambdaOrTheService()
    {
        foreach (var env in environments.All)
        {
            Assert.Empty(env.OfType("Custom::LogRetention"));
            // Each database instance's exported logs have their group, made encrypted and retained by the stack.
            var groups = env.OfType("AWS::Logs::LogGroup").Select(g => g.Resource["Properties"]!["LogGroupName"]?.ToJsonString() ?? "").ToArray();
            foreach (var (_, instance) in env.OfType("AWS::RDS::DBInstance"))
            {
                var id = (string)instance["Properties"]!["DBInstanceIdentifier"]!;
                Assert.StartsWith($"backend-{env.Definition.Name}-", id);
                Assert.Contains(groups, g => g == $"\"/aws/rds/instance/{id}/postgresql\"");
            }
        }
    }

    [Fact]
    public void NoTemplateNeedsAnAccountLookupOrContext()
    {
        foreach (var env in environments.All)
        {
            var text = env.Json.ToJsonString();
            Assert.DoesNotContain("dummy", text);
            Assert.DoesNotContain("Fn::GetAZs", text);
        }
    }

    [Fact]
    public void StagingAndProdSpanAtLeastTwoZones()
    {
        foreach (var env in new[] { environments.Staging, environments.Prod })
        {
            var zones = env.OfType("AWS::EC2::Subnet").Select(s => (string?)s.Resource["Properties"]!["AvailabilityZone"]).Distinct().Count();
            Assert.True(zones >= 2, $"{env.Definition.StackName} spans {zones} zone(s)");
        }
    }

    [Fact]
    public void DevUsesOneNatGatewayAndSmallInstancesByItsFileAlone()
    {
        environments.Dev.Template.ResourceCountIs("AWS::EC2::NatGateway", 1);
        Assert.All(environments.Dev.OfType("AWS::EC2::LaunchTemplate"),
            lt => Assert.Equal("t3.small", (string?)lt.Resource["Properties"]!["LaunchTemplateData"]!["InstanceType"]));
    }

    [Fact]
    public void DevServesPlainHttpOnlyBecauseItsFileSaysSoAndAcknowledgesIt()
    {
        var listeners = environments.Dev.OfType("AWS::ElasticLoadBalancingV2::Listener").ToArray();
        var (_, http) = Assert.Single(listeners);
        Assert.Equal("HTTP", (string?)http["Properties"]!["Protocol"]);
        var ack = http["Metadata"]!["ScalableBackend"]!["Acknowledgements"]!.AsArray();
        Assert.Equal("SB-ELB-002", (string?)ack[0]!["Rule"]);
        Assert.Contains("no certificate", (string?)ack[0]!["Reason"]);
    }

    [Fact]
    public void StagingAndProdLoadBalancersAreDeletionProtectedDevIsNot()
    {
        static string Protection(SynthesizedEnvironment env) => env.OfType("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["LoadBalancerAttributes"]!
            .AsArray().Single(a => (string?)a!["Key"] == "deletion_protection.enabled")!["Value"]!.GetValue<string>();
        Assert.Equal("false", Protection(environments.Dev));
        Assert.Equal("true", Protection(environments.Staging));
        Assert.Equal("true", Protection(environments.Prod));
    }
}
