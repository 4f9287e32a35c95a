using ScalableBackend.Components;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Facts;

namespace ScalableBackend.Stacks.Config;

public static partial class EnvironmentValidator
{
    /// <summary>
    /// What the instances run: the machine image pins, the declared secrets, and per service and worker either a
    /// <c>container</c> (its image pinned, its secrets naming declared ones, its variables not shadowing the ones the
    /// environment sets) or a baked <c>machineImage</c> with its <c>bootScript</c> file; and that the instance type's
    /// architecture has a pinned image.
    /// </summary>
    private static void ValidateRuntime(string file, EnvironmentConfig config)
    {
        ConfigException Error(string path, string problem) => new(file, path, problem);
        const string ami = "must be an AMI id: ami- and 8 or 17 lower-case hex digits, such as ami-0abcdef1234567890";

        if (config.MachineImages is { } pins)
        {
            if (pins.X86_64 is null && pins.Arm64 is null)
                throw Error("machineImages", "must pin at least one of x86_64 or arm64");
            if (pins.X86_64 is { } x && !MachineImagePins.IsAmiId(x))
                throw Error("machineImages.x86_64", $"= {x} {ami}");
            if (pins.Arm64 is { } a && !MachineImagePins.IsAmiId(a))
                throw Error("machineImages.arm64", $"= {a} {ami}");
        }

        var declared = config.Secrets ?? new Dictionary<string, ContainerSecret>();
        foreach (var (name, secret) in declared.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"secrets.{name}";
            if (!WebService.IsValidKey(name))
                throw Error(at, "is not a valid secret name: lower-case letters, digits and dashes, starting with a letter (at most 40)");
            if ((secret.SecretsManager is null) == (secret.SsmParameter is null))
                throw Error(at, "must give exactly one of secretsManager (a secret's name or ARN) or ssmParameter (a parameter's name)");
            if (secret.SsmParameter is { } parameter && !parameter.StartsWith('/') && !parameter.StartsWith("arn:", StringComparison.Ordinal))
                throw Error($"{at}.ssmParameter", $"= {parameter} must be a parameter name starting with / (or its ARN)");
            if (secret.SecretsManager is { Length: 0 })
                throw Error($"{at}.secretsManager", "must name a secret");
        }

        var members = config.Services.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ($"services.{kv.Key}", (IMemberConfig)kv.Value))
            .Concat((config.Workers ?? new Dictionary<string, WorkerConfig>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => ($"workers.{kv.Key}", (IMemberConfig)kv.Value)));
        foreach (var (at, member) in members)
        {
            if (member.BootScript is not null && member.Container is not null)
                throw Error($"{at}.bootScript", "cannot be given together with container: an instance runs a container or a team's boot script, not both");
            if (member.BootScript is not null && member.MachineImage is null)
                throw Error($"{at}.bootScript", "goes with machineImage: a boot script runs on the team's own baked AMI (without one, give container instead)");
            if (member.MachineImage is not null && member.BootScript is null)
                throw Error($"{at}.machineImage", "goes with bootScript: a baked AMI runs the team's boot script (a container runs on the environment's machineImages)");
            if (member.MachineImage is { } own && !MachineImagePins.IsAmiId(own))
                throw Error($"{at}.machineImage", $"= {own} {ami}");
            if (member.BootScript is { } script)
            {
                var path = BootScriptPath(file, script);
                if (!File.Exists(path))
                    throw Error($"{at}.bootScript", $"= {script} does not exist (looked for {path}; the path is relative to the environment file)");
                if (new FileInfo(path).Length == 0)
                    throw Error($"{at}.bootScript", $"= {script} is empty");
            }

            if (member.Container is { } container)
            {
                if (config.MachineImages is null)
                    throw Error("machineImages", "is required when a service or worker runs a container: pin the AMI ids per architecture (README: Machine images)");
                foreach (var (variable, secretName) in (container.Secrets ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    if (!declared.ContainsKey(secretName))
                        throw Error($"{at}.container.secrets.{variable}", declared.Count == 0
                            ? $"= {secretName} is not a declared secret: the file declares none (add it under secrets:)"
                            : $"= {secretName} is not a declared secret; declared: {string.Join(", ", declared.Keys.Order(StringComparer.Ordinal))}");
                foreach (var variable in (container.Environment?.Keys ?? []).Concat(container.Secrets?.Keys ?? []))
                    if (ContainerContract.IsReserved(variable) && ContainerSettings.IsVariableName(variable))
                        throw Error($"{at}.container", $"sets {variable}, a name the environment sets itself (SB_* and AWS_REGION; README: The container contract)");
                Mapped(file, at, () => ContainerSettings.Validate(ResolveContainer(container, declared), "Container"));
            }
        }
    }

    /// <summary>Where <paramref name="script"/> (relative to the environment file <paramref name="file"/>) is.</summary>
    public static string BootScriptPath(string file, string script) =>
        Path.IsPathRooted(script) ? script : Path.Combine(Path.GetDirectoryName(file) ?? "", script);

    /// <summary>The container's settings with its secrets resolved through the file's declarations (names already checked).</summary>
    public static ContainerSettings ResolveContainer(ContainerConfig container, IReadOnlyDictionary<string, ContainerSecret>? declared) => new()
    {
        Image = container.Image,
        Command = container.Command,
        Environment = container.Environment,
        StartupCheck = container.StartupCheck,
        Secrets = container.Secrets?.ToDictionary(kv => kv.Key, kv => declared![kv.Value], StringComparer.Ordinal),
    };

    /// <summary>The problem with running <paramref name="type"/> on the environment's pins, or null (a member with its own machine image is not checked).</summary>
    private static string? ArchitectureProblem(EnvironmentConfig config, IMemberConfig member, string type, string region)
    {
        if (member.MachineImage is not null)
            return null;
        var arm = AwsFacts.Ec2InstanceTypes.ArchitectureOf(type) is "arm64";
        if (config.MachineImages is not { } pins)
            return arm ? $"is an arm64 (Graviton) type, but without machineImages the instances boot the x86_64 Amazon Linux 2023 image; pin machineImages.arm64 or choose an x86_64 type{X86Alternative(type, region)}" : null;
        if (arm && pins.Arm64 is null)
            return $"is an arm64 (Graviton) type, but machineImages pins only x86_64: add machineImages.arm64 or choose an x86_64 type{X86Alternative(type, region)}";
        if (!arm && pins.X86_64 is null)
            return "is an x86_64 type, but machineImages pins only arm64: add machineImages.x86_64 or choose an arm64 (Graviton) type";
        return null;
    }
}
