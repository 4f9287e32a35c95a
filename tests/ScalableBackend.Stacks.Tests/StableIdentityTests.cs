using System.Text.Json.Nodes;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>Adding a service or changing a size must never rename or replace what already exists.</summary>
public sealed class StableIdentityTests
{
    private const string ThirdService = """
          worker:
            instanceType: t3.small
            routing:
              priority: 5
              pathPatterns: ["/jobs/*"]
            minCapacity: 1
            maxCapacity: 2
        """;

    private static SynthesizedEnvironment Synthesize(string yaml) =>
        Synth.Environment(EnvironmentLoader.Parse("dev", "stacks/dev.yaml", yaml));

    private static Dictionary<string, JsonNode> ServiceResources(SynthesizedEnvironment env, params string[] services) =>
        env.Resources.Where(r => services.Any(s => r.Id.StartsWith($"Service{s}", StringComparison.Ordinal)))
            .ToDictionary(r => r.Id, r => (JsonNode)r.Resource);

    [Fact]
    public void AddingAThirdServiceLeavesTheFirstTwoServicesUntouched()
    {
        var before = Synthesize(ConfigValidationTests.Valid);
        // The new service sorts first by name and takes the lowest priority: neither may shift the others.
        var after = Synthesize(ConfigValidationTests.Valid + "\n" + ThirdService);

        var old = ServiceResources(before, "Api", "Web");
        var now = ServiceResources(after, "Api", "Web");
        Assert.NotEmpty(old);
        Assert.Equal(old.Keys.Order(), now.Keys.Order());
        foreach (var (id, resource) in old)
            Assert.True(JsonNode.DeepEquals(resource, now[id]), $"{id} changed when a third service was added");
        Assert.NotEmpty(ServiceResources(after, "Worker"));
        // Everything that existed before still exists under the same id.
        Assert.Empty(before.Resources.Select(r => r.Id).Except(after.Resources.Select(r => r.Id)));
    }
}
