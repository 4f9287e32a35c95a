namespace ScalableBackend.Stacks.Tests;

[Collection(EnvironmentCollection.Name)]
public sealed class AllEnvironmentsTests(EnvironmentFixture environments)
{
    [Fact]
    public void StacksAreNamedPerEnvironment() =>
        Assert.Equal(new[] { "Backend-Dev", "Backend-Staging", "Backend-Prod" }, environments.All.Select(e => e.Definition.StackName));

    [Fact]
    public void EveryEnvironmentIsASetOfAtLeastFourStacksEachWellUnderTheLimit()
    {
        foreach (var env in environments.All)
        {
            Assert.True(env.Stacks.Count >= 4, $"{env.Definition.Name} has {env.Stacks.Count} stacks");
            Assert.Equal(env.Definition.Stacks.Select(s => s.StackName), env.Stacks.Select(s => s.Name));
            Assert.All(env.Stacks, s => Assert.True(s.Resources.Count() < 400, $"{s.Name} holds {s.Resources.Count()} resources"));
            Assert.Equal(env.Definition.Config.Services.Count, env.Stacks.Count(s => s.Identity.Role == StackRole.Service));
            Assert.Equal(env.Definition.Config.Workers?.Count ?? 0, env.Stacks.Count(s => s.Identity.Role == StackRole.Worker));
        }
    }

    [Fact]
    public void StacksAreNamedFromTheEnvironmentAndTheirRole()
    {
        var names = environments.Prod.Stacks.Select(s => s.Name).ToArray();
        Assert.Equal(new[]
        {
            "Backend-Prod-Platform", "Backend-Prod-Data", "Backend-Prod-Edge", "Backend-Prod-Service-Api", "Backend-Prod-Service-Web",
            "Backend-Prod-Worker-Billing", "Backend-Prod-Worker-Shipping", "Backend-Prod-Operations",
        }, names);
        Assert.All(environments.Dev.Stacks, s => Assert.StartsWith("Backend-Dev-", s.Name));
    }

    [Fact]
    public void ReferencesBetweenStacksAreExplicitExportsNeverCdksAutomaticOnes()
    {
        foreach (var env in environments.All)
            foreach (var stack in env.Stacks)
            {
                foreach (var (id, output) in stack.Outputs)
                {
                    Assert.DoesNotContain("ExportsOutput", id); // CDK's automatic cross-stack reference
                    if (output!["Export"] is { } export)
                        Assert.Equal($"{stack.Name}:{id}", (string?)export["Name"]);
                }
                // Every import names an export of a stack of the same environment that the set declares.
                var imports = System.Text.RegularExpressions.Regex.Matches(stack.Json.ToJsonString(), "\"Fn::ImportValue\":\"([^\"]+)\"")
                    .Select(m => m.Groups[1].Value).Distinct().ToArray();
                foreach (var import in imports)
                {
                    var producer = env.Stacks.SingleOrDefault(s => import.StartsWith(s.Name + ":", StringComparison.Ordinal));
                    Assert.True(producer is not null, $"{stack.Name} imports {import}, which no stack of {env.Definition.Name} exports");
                    Assert.True(producer!.Outputs.ContainsKey(import[(producer.Name.Length + 1)..]), $"{producer.Name} does not export {import}");
                    Assert.NotEqual(stack.Name, producer.Name);
                }
            }
    }

    [Fact]
    public void ReferencesPointOneWayServiceToDataAndEdgeToPlatform()
    {
        static int Tier(StackRole role) => role switch
        {
            StackRole.Platform => 0, StackRole.Data or StackRole.Edge => 1, StackRole.Service or StackRole.Worker => 2, _ => 3,
        };
        foreach (var stack in environments.Prod.Stacks)
        {
            var imports = System.Text.RegularExpressions.Regex.Matches(stack.Json.ToJsonString(), "\"Fn::ImportValue\":\"([^\"]+):").Select(m => m.Groups[1].Value).Distinct();
            foreach (var producer in imports)
                Assert.True(Tier(environments.Prod.Stacks.Single(s => s.Name == producer).Identity.Role) < Tier(stack.Identity.Role),
                    $"{stack.Name} imports from {producer}");
        }
    }

    [Fact]
    public void StatefulStacksHaveTerminationProtectionWhereTheFileAsks()
    {
        Assert.True(environments.Prod.Definition.Config.TerminationProtection);
        Assert.True(environments.Staging.Definition.Config.TerminationProtection);
        Assert.Null(environments.Dev.Definition.Config.TerminationProtection);
    }

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
            foreach (var stack in env.Stacks)
            {
                var text = stack.Json.ToJsonString();
                Assert.DoesNotContain("dummy", text);
                Assert.DoesNotContain("Fn::GetAZs", text);
            }
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
        environments.Dev.Platform.Template.ResourceCountIs("AWS::EC2::NatGateway", 1);
        Assert.Empty(environments.Dev.Stacks.Where(s => s.Identity.Role != StackRole.Platform).SelectMany(s => s.OfType("AWS::EC2::NatGateway")));
        Assert.All(environments.Dev.OfType("AWS::EC2::LaunchTemplate"),
            lt => Assert.Equal("t3.small", (string?)lt.Resource["Properties"]!["LaunchTemplateData"]!["InstanceType"]));
    }

    [Fact]
    public void DevServesPlainHttpOnlyBecauseItsFileSaysSoAndAcknowledgesIt()
    {
        Assert.Empty(environments.Dev.Stacks.Where(s => s.Identity.Role != StackRole.Edge).SelectMany(s => s.OfType("AWS::ElasticLoadBalancingV2::Listener")));
        var listeners = environments.Dev.Edge.OfType("AWS::ElasticLoadBalancingV2::Listener").ToArray();
        var (_, http) = Assert.Single(listeners);
        Assert.Equal("HTTP", (string?)http["Properties"]!["Protocol"]);
        var ack = http["Metadata"]!["ScalableBackend"]!["Acknowledgements"]!.AsArray();
        Assert.Equal("SB-ELB-002", (string?)ack[0]!["Rule"]);
        Assert.Contains("no certificate", (string?)ack[0]!["Reason"]);
    }

    [Fact]
    public void StagingAndProdLoadBalancersAreDeletionProtectedDevIsNot()
    {
        static string Protection(EnvironmentTemplates env) => env.Edge.OfType("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["LoadBalancerAttributes"]!
            .AsArray().Single(a => (string?)a!["Key"] == "deletion_protection.enabled")!["Value"]!.GetValue<string>();
        Assert.Equal("false", Protection(environments.Dev));
        Assert.Equal("true", Protection(environments.Staging));
        Assert.Equal("true", Protection(environments.Prod));
    }
}
