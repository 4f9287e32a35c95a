using System.Text.Json.Nodes;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// Shipping a version: the CI's digest, given as the context value <c>image:&lt;key&gt;</c>, changes exactly that
/// member's stack (its launch template); and a Graviton type boots the arm64 pin.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public sealed class ShippingAVersionTests(EnvironmentFixture environments)
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    private static IReadOnlyDictionary<string, JsonObject> SynthWithContext(EnvironmentDefinition definition, Dictionary<string, object> context)
    {
        var outdir = Directory.CreateTempSubdirectory("sb-test-");
        context["aws:cdk:enable-path-metadata"] = true;
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = outdir.FullName, Context = context });
        BackendSynthesizer.AddStacks(app, [definition]);
        app.Synth();
        return definition.Stacks.ToDictionary(s => s.StackName,
            s => JsonNode.Parse(File.ReadAllText(Path.Combine(outdir.FullName, s.TemplateFileName)))!.AsObject());
    }

    [Fact]
    public void ANewDigestForOneServiceChangesOnlyThatServicesLaunchTemplate()
    {
        var before = environments.Dev;
        var after = SynthWithContext(before.Definition, new() { ["image:api"] = Digest });
        foreach (var stack in before.Stacks)
        {
            if (stack.Identity is { Role: StackRole.Service, Key: "api" })
                continue;
            Assert.True(stack.Json.ToJsonString() == after[stack.Name].ToJsonString(), $"{stack.Name} changed");
        }
        var api = before.Service("api");
        var changed = api.Resources.Where(r => r.Resource.ToJsonString() != after[api.Name]["Resources"]![r.Id]!.ToJsonString()).Select(r => (string)r.Resource["Type"]!).ToArray();
        Assert.Equal(["AWS::EC2::LaunchTemplate"], changed);
        Assert.Contains($"orders-api@{Digest}", after[api.Name]["Resources"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverrideThatIsNoPinnedImageIsRefusedNamingTheKey()
    {
        var e = Assert.Throws<ConfigException>(() => SynthWithContext(environments.Dev.Definition, new() { ["image:web"] = "latest" }));
        Assert.Contains("dev.yaml: services.web.container.image (context image:web) = latest must not use the tag latest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGravitonTypeBootsTheArm64Pin()
    {
        var yaml = RuntimeConfigValidationTests.Valid
            .Replace("  x86_64: ami-0123456789abcdef0\n", "  x86_64: ami-0123456789abcdef0\n  arm64: ami-0fedcba9876543210\n", StringComparison.Ordinal)
            .Replace("  web:\n    instanceType: t3.small\n", "  web:\n    instanceType: t4g.small\n", StringComparison.Ordinal);
        var templates = Synth.Environment(EnvironmentLoader.Parse("staging", "stacks/test.yaml", yaml));
        string ImageOf(string key) => (string)templates.Service(key).OfType("AWS::EC2::LaunchTemplate").Single().Resource["Properties"]!["LaunchTemplateData"]!["ImageId"]!;
        Assert.Equal("ami-0fedcba9876543210", ImageOf("web"));
        Assert.Equal("ami-0123456789abcdef0", ImageOf("api"));
    }
}
