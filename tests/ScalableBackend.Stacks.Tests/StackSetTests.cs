using System.Text;
using System.Text.Json.Nodes;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// Two grown copies of prod, each synthesized once: prod with one more service, and prod with 40 services, 8 shards and
/// one more queue (the size the split is for).
/// </summary>
public sealed class GrownProdFixture
{
    /// <summary>prod.yaml as it is.</summary>
    public static string ProdYaml => System.IO.File.ReadAllText(Path.Combine(Synth.StacksDirectory, "prod.yaml"));

    /// <summary>A generated service, routed by its own path.</summary>
    public static string Service(string key, int priority) => $"""
          {key}:
            instanceType: m6i.large
            routing: {"{"} priority: {priority}, pathPatterns: ["/{key}/*"] {"}"}
            minCapacity: 2
            maxCapacity: 6
            healthCheck: {"{"} path: /{key}/health {"}"}
            scaling: {"{"} cpuTargetPercent: 60 {"}"}

        """;

    // The file as the environment fixture names it, so the stacks' descriptions match byte for byte.
    private static readonly string File = EnvironmentLoader.Load("prod", Synth.StacksDirectory).File;

    private static string WithServices(string yaml, IEnumerable<string> services) =>
        yaml.Replace("services:\n", "services:\n" + string.Concat(services), StringComparison.Ordinal);

    /// <summary>Prod plus service <c>orders</c>, ahead of web's catch-all <c>/*</c> (priority 200), which would otherwise take all its traffic.</summary>
    public (EnvironmentTemplates Templates, Amazon.CDK.CXAPI.CloudAssembly Assembly) OneMore { get; } =
        Synth.WithAssembly(EnvironmentLoader.Parse("prod", File, WithServices(ProdYaml, [Service("orders", 150)])));

    /// <summary>Prod grown to 40 services (38 generated), 8 shards (shard4's buckets spread over shard5–8) and a queue <c>audit</c>.</summary>
    public EnvironmentTemplates Forty { get; } = Synth.Environment(EnvironmentLoader.Parse("prod", File, Grow(ProdYaml)));

    private static string Grow(string yaml)
    {
        var shard4 = "    shard4:\n      buckets: [{ from: 768, to: 1023 }]\n";
        Assert.Contains(shard4, yaml);
        var shards = new StringBuilder("    shard4:\n      buckets: [{ from: 768, to: 831 }]\n");
        foreach (var (n, from, to) in new[] { (5, 832, 895), (6, 896, 959), (7, 960, 991), (8, 992, 1023) })
            shards.Append($"    shard{n}:\n      buckets: [{{ from: {from}, to: {to} }}]\n");
        Assert.Contains("queues:\n", yaml);
        return WithServices(yaml, Enumerable.Range(1, 38).Select(i => Service($"svc{i:D2}", 110 + i)))
            .Replace(shard4, shards.ToString(), StringComparison.Ordinal)
            .Replace("queues:\n", "queues:\n  audit:\n    producers: [api]\n", StringComparison.Ordinal);
    }
}

/// <summary>The stack set under growth: stays small per stack, keeps producers' templates, renames and moves nothing.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class StackSetTests(EnvironmentFixture environments, GrownProdFixture grown) : IClassFixture<GrownProdFixture>
{
    [Fact]
    public void AddingAServiceLeavesThePlatformDataEdgeAndEveryOtherMemberByteIdentical()
    {
        var before = environments.Prod;
        var after = grown.OneMore.Templates;
        foreach (var stack in before.Stacks.Where(s => s.Identity.Role != StackRole.Operations))
            Assert.True(System.IO.File.ReadAllBytes(stack.Path).AsSpan().SequenceEqual(System.IO.File.ReadAllBytes(after.Stack(stack.Identity.Role, stack.Identity.Key).Path)),
                $"{stack.Name} changed when service orders was added");
        Assert.Equal(before.Stacks.Count + 1, after.Stacks.Count);
        Assert.NotEmpty(after.Service("orders").Resources);
    }

    [Fact]
    public void StatefulStacksHaveTerminationProtectionInTheCloudAssemblyWhereTheFileAsks()
    {
        var assembly = grown.OneMore.Assembly;
        foreach (var stack in grown.OneMore.Templates.Stacks)
            Assert.Equal(stack.Identity.Role is StackRole.Platform or StackRole.Data, assembly.GetStackByName(stack.Name).TerminationProtection == true);
    }

    [Fact]
    public void TheCloudAssemblyOrdersTheStacksByTheirDependencies()
    {
        var assembly = grown.OneMore.Assembly;
        string[] DependsOn(string stack) => assembly.GetStackByName(stack).Dependencies.Select(d => d.Id).Where(id => !id.EndsWith(".assets", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Backend-Prod-Platform"], DependsOn("Backend-Prod-Data"));
        Assert.Equal(["Backend-Prod-Platform"], DependsOn("Backend-Prod-Edge"));
        Assert.Equal(["Backend-Prod-Data", "Backend-Prod-Edge", "Backend-Prod-Platform"], DependsOn("Backend-Prod-Service-Orders"));
        Assert.Equal(grown.OneMore.Templates.Stacks.Count - 1, DependsOn("Backend-Prod-Operations").Length);
    }

    [Fact]
    public void FortyServicesAndEightShardsSynthesizeWithEveryStackUnder400Resources()
    {
        var forty = grown.Forty;
        Assert.Equal(40, forty.Stacks.Count(s => s.Identity.Role == StackRole.Service));
        Assert.Equal(8, forty.Definition.Config.Database!.Shards.Count);
        Assert.All(forty.Stacks, s => Assert.True(s.Resources.Count() < 400, $"{s.Name} holds {s.Resources.Count()} resources"));
    }

    [Fact]
    public void GrowingProdRenamesAndMovesNoStatefulResource()
    {
        var before = StatefulIdentityTests.Stateful(environments.Prod);
        var after = StatefulIdentityTests.Stateful(grown.Forty);
        foreach (var (id, resource) in before)
        {
            Assert.True(after.TryGetValue(id, out var now), $"{id} moved or was renamed when prod grew");
            Assert.True(JsonNode.DeepEquals(resource, now), $"{id} changed when prod grew");
        }
        Assert.Contains("Backend-Prod-Data/QueueAuditQueue", string.Join(" ", after.Keys));
        Assert.Contains("Backend-Prod-Data/DatabaseShard8Instance", string.Join(" ", after.Keys));
    }
}

/// <summary>Each service's and worker's stack is tagged with its file key on the group, which the simulator reads.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class MemberStackTests(EnvironmentFixture environments)
{
    [Fact]
    public void EveryMembersGroupCarriesItsStacksKeyTag()
    {
        foreach (var env in environments.All)
            foreach (var member in env.Members)
            {
                var tag = member.Identity.Role == StackRole.Service ? ServiceStack.TagKey : WorkerStack.TagKey;
                var (_, group) = Assert.Single(member.OfType("AWS::AutoScaling::AutoScalingGroup"));
                Assert.Contains(group["Properties"]!["Tags"]!.AsArray(), t => (string?)t!["Key"] == tag && (string?)t["Value"] == member.Identity.Key
                    && t["PropagateAtLaunch"]?.ToJsonString() == "true");
            }
    }

    [Fact]
    public void OnlyTheMembersStacksHoldInstances()
    {
        foreach (var env in environments.All)
            Assert.All(env.Stacks.Where(s => s.Identity.Role is not (StackRole.Service or StackRole.Worker)),
                s => Assert.DoesNotContain(s.Resources, r => (string?)r.Resource["Type"] is "AWS::AutoScaling::AutoScalingGroup" or "AWS::EC2::LaunchTemplate"));
    }
}
