using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks.Tests;

/// <summary>
/// What the instances run, in the file: machine image pins, declared secrets, containers, baked images with boot
/// scripts. Each row breaks one thing and expects one message naming the file and the key.
/// </summary>
public sealed class RuntimeConfigValidationTests
{
    private const string File = "stacks/test.yaml";

    /// <summary>A valid file whose services run containers on pinned images, one reading a declared secret.</summary>
    public const string Valid = """
        region: eu-west-1
        network:
          availabilityZones: [eu-west-1a, eu-west-1b]
          cidr: 10.0.0.0/16
          natGateways: 1
        logs:
          retentionDays: 30
        loadBalancer:
          certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abcd-1234
        machineImages:
          x86_64: ami-0123456789abcdef0
        secrets:
          stripe: { secretsManager: test/stripe }
        services:
          api:
            instanceType: t3.small
            container:
              image: orders-api:1.4.2
              environment: { LOG_LEVEL: info }
              secrets: { STRIPE_KEY: stripe }
            routing:
              priority: 10
              pathPatterns: ["/api/*"]
            minCapacity: 2
            maxCapacity: 4
          web:
            instanceType: t3.small
            container:
              image: orders-web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            routing:
              priority: 20
              pathPatterns: ["/*"]
            minCapacity: 2
            maxCapacity: 4
        """;

    private static string Replace(string from, string to)
    {
        Assert.Contains(from, Valid);
        return Valid.Replace(from, to, StringComparison.Ordinal);
    }

    private static string Error(string yaml) =>
        Assert.Throws<ConfigException>(() => EnvironmentLoader.Parse("staging", File, yaml)).Message;

    [Fact]
    public void TheValidFileLoadsWithSecretsByDeclaredName()
    {
        var config = EnvironmentLoader.Parse("staging", File, Valid).Config;
        Assert.Equal("ami-0123456789abcdef0", config.MachineImages!.X86_64);
        Assert.Equal("stripe", config.Services["api"].Container!.Secrets!["STRIPE_KEY"]);
        Assert.Equal("test/stripe", EnvironmentValidator.ResolveContainer(config.Services["api"].Container!, config.Secrets).Secrets!["STRIPE_KEY"].SecretsManager);
    }

    public static TheoryData<string, string, string> Rows => new()
    {
        { "image: orders-api:1.4.2", "image: orders-api", "stacks/test.yaml: services.api.container.image = orders-api must be pinned by a tag (orders-api:1.4.2) or a digest" },
        { "image: orders-api:1.4.2", "image: orders-api:latest", "stacks/test.yaml: services.api.container.image = orders-api:latest must not use the tag latest" },
        { "secrets: { STRIPE_KEY: stripe }", "secrets: { STRIPE_KEY: stripe-live }", "stacks/test.yaml: services.api.container.secrets.STRIPE_KEY = stripe-live is not a declared secret; declared: stripe" },
        { "secrets:\n  stripe: { secretsManager: test/stripe }\n", "", "stacks/test.yaml: services.api.container.secrets.STRIPE_KEY = stripe is not a declared secret: the file declares none (add it under secrets:)" },
        { "stripe: { secretsManager: test/stripe }", "stripe: { secretsManager: test/stripe, ssmParameter: /test/stripe }", "stacks/test.yaml: secrets.stripe must give exactly one of secretsManager" },
        { "stripe: { secretsManager: test/stripe }", "stripe: { ssmParameter: test/stripe }", "stacks/test.yaml: secrets.stripe.ssmParameter = test/stripe must be a parameter name starting with /" },
        { "x86_64: ami-0123456789abcdef0", "x86_64: ami-0123", "stacks/test.yaml: machineImages.x86_64 = ami-0123 must be an AMI id: ami- and 8 or 17 lower-case hex digits" },
        { "x86_64: ami-0123456789abcdef0", "x86_64: AMI-0123456789ABCDEF0", "stacks/test.yaml: machineImages.x86_64 = AMI-0123456789ABCDEF0 must be an AMI id" },
        { "machineImages:\n  x86_64: ami-0123456789abcdef0\n", "", "stacks/test.yaml: machineImages is required when a service or worker runs a container" },
        { "instanceType: t3.small\n    container:\n      image: orders-api", "instanceType: t4g.small\n    container:\n      image: orders-api", "stacks/test.yaml: services.api.instanceType = t4g.small is an arm64 (Graviton) type, but machineImages pins only x86_64: add machineImages.arm64 or choose an x86_64 type such as t3.small" },
        { "environment: { LOG_LEVEL: info }", "environment: { SB_CACHE_ENDPOINT: localhost:6379 }", "stacks/test.yaml: services.api.container sets SB_CACHE_ENDPOINT, a name the environment sets itself" },
        { "environment: { LOG_LEVEL: info }", "environment: { log-level: info }", "stacks/test.yaml: services.api.container.environment.log-level = log-level must be an environment variable name" },
        { "    container:\n      image: orders-web", "    bootScript: boot/web.sh\n    container:\n      image: orders-web", "stacks/test.yaml: services.web.bootScript cannot be given together with container" },
        { "    container:\n      image: orders-web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", "    bootScript: boot/web.sh\n", "stacks/test.yaml: services.web.bootScript goes with machineImage" },
        { "    container:\n      image: orders-web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", "    machineImage: ami-0123456789abcdef1\n", "stacks/test.yaml: services.web.machineImage goes with bootScript" },
        { "    container:\n      image: orders-web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", "    machineImage: ami-12\n    bootScript: boot/web.sh\n", "stacks/test.yaml: services.web.machineImage = ami-12 must be an AMI id" },
        { "    container:\n      image: orders-web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", "    machineImage: ami-0123456789abcdef1\n    bootScript: boot/none.sh\n", "stacks/test.yaml: services.web.bootScript = boot/none.sh does not exist" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachMistakeGetsOneMessageNamingTheKey(string from, string to, string expected) =>
        Assert.StartsWith(expected, Error(Replace(from, to)));

    [Fact]
    public void ABakedImageWithAnExistingBootScriptLoads()
    {
        var dir = Directory.CreateTempSubdirectory("sb-boot-");
        System.IO.File.WriteAllText(Path.Combine(dir.FullName, "web.sh"), "#!/bin/bash\nsystemctl start web\n");
        var yaml = Replace("    container:\n      image: orders-web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
            "    machineImage: ami-0123456789abcdef1\n    bootScript: web.sh\n    instanceType: t4g.small\n").Replace("  web:\n    instanceType: t3.small\n", "  web:\n", StringComparison.Ordinal);
        // A baked image is the team's own: its architecture is theirs to match, the pins are not consulted.
        var config = EnvironmentLoader.Parse("staging", Path.Combine(dir.FullName, "test.yaml"), yaml).Config;
        Assert.Equal("web.sh", config.Services["web"].BootScript);
    }
}
