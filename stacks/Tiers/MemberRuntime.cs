using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Compute;
using ScalableBackend.Stacks.Config;

namespace ScalableBackend.Stacks;

/// <summary>
/// What a service or worker runs, from its file entry: the container (secrets resolved through the file's
/// declarations, the image optionally replaced by the context value <c>image:&lt;key&gt;</c>), or the team's baked
/// machine image and boot script; and the machine image its instance type's architecture picks from the pins.
/// </summary>
/// <param name="Container">The container, or null.</param>
/// <param name="MachineImage">The machine image, or null for the component's default (no pins in the file).</param>
/// <param name="BootScript">The boot script's text, or null.</param>
internal sealed record MemberRuntime(ContainerSettings? Container, IMachineImage? MachineImage, string? BootScript)
{
    /// <summary>The context key that replaces member <paramref name="key"/>'s image at synthesis: <c>image:&lt;key&gt;</c>.</summary>
    public static string ImageContextKey(string key) => $"image:{key}";

    /// <summary>Resolves member <paramref name="key"/> (at <paramref name="at"/>, e.g. <c>services.api</c>) of the stack's environment.</summary>
    /// <exception cref="ConfigException">The context's image override is not a pinned image, or the member runs no container.</exception>
    public static MemberRuntime For(EnvironmentStack stack, string key, string at, IMemberConfig member)
    {
        var definition = stack.Definition;
        var config = definition.Config;
        ContainerSettings? container = null;
        if (member.Container is { } declared)
        {
            container = EnvironmentValidator.ResolveContainer(declared, config.Secrets);
            if (stack.Node.TryGetContext(ImageContextKey(key)) is string overridden && overridden.Length > 0)
                container = container with { Image = Override(definition.File, at, key, container.Image, overridden) };
        }
        else if (stack.Node.TryGetContext(ImageContextKey(key)) is string { Length: > 0 })
            throw new ConfigException(definition.File, $"{at}.container", $"is not declared, so the context value {ImageContextKey(key)} has no image to replace");

        IMachineImage? image = member.MachineImage is { } own
            ? Amazon.CDK.AWS.EC2.MachineImage.GenericLinux(new Dictionary<string, string> { [config.Region] = own })
            : config.MachineImages?.ImageFor(config.Region, member.InstanceType);
        var script = member.BootScript is { } path ? File.ReadAllText(EnvironmentValidator.BootScriptPath(definition.File, path)) : null;
        return new MemberRuntime(container, image, script);
    }

    /// <summary>
    /// The image with the CI's build: a digest (<c>sha256:…</c>) or a tag replaces the declared pin of the same
    /// repository; a full reference replaces the image.
    /// </summary>
    private static string Override(string file, string at, string key, string declared, string value)
    {
        var path = $"{at}.container.image (context {ImageContextKey(key)})";
        var current = ContainerImageReference.Parse(declared);
        var repository = current.Registry is null ? current.Repository : $"{current.Registry}/{current.Repository}";
        var candidate = value.StartsWith("sha256:", StringComparison.Ordinal) ? $"{repository}@{value}"
            : !value.Contains('/') && !value.Contains(':') && !value.Contains('@') ? $"{repository}:{value}"
            : value;
        try
        {
            _ = ContainerImageReference.Parse(candidate, "image");
        }
        catch (Components.PropsValidationException e)
        {
            throw new ConfigException(file, path, $"= {value} {e.Rule}");
        }
        return candidate;
    }
}
