using System.Text.RegularExpressions;
using Amazon.CDK.AWS.EC2;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// Machine images pinned by id, one per CPU architecture, so a new image is a visible change of the template (a
/// launch template update in the diff), never a silent replacement at the next deploy the way the "latest Amazon
/// Linux" SSM parameter is. The instance type's architecture (as the CDK knows it: Graviton types such as m7g are
/// arm64) picks the pin.
/// </summary>
public sealed partial record MachineImagePins
{
    /// <summary>The AMI for x86_64 instance types, e.g. <c>ami-0abcdef1234567890</c>. Default: none (x86_64 types are refused).</summary>
    public string? X86_64 { get; init; }

    /// <summary>The AMI for arm64 (Graviton) instance types. Default: none (arm64 types are refused).</summary>
    public string? Arm64 { get; init; }

    [GeneratedRegex(@"^ami-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex AmiPattern();

    /// <summary>True for an AMI id: <c>ami-</c> and 8 or 17 lower-case hex digits.</summary>
    public static bool IsAmiId(string id) => AmiPattern().IsMatch(id);

    /// <summary>Checks the pins' shape; throws naming the property under <paramref name="path"/>.</summary>
    /// <exception cref="PropsValidationException">An id is not an AMI id, or no pin is given.</exception>
    public static void Validate(MachineImagePins pins, string path = "MachineImages")
    {
        if (pins.X86_64 is null && pins.Arm64 is null)
            throw new PropsValidationException(path, null, "must pin at least one of x86_64 or arm64");
        if (pins.X86_64 is { } x && !IsAmiId(x))
            throw new PropsValidationException($"{path}.{nameof(X86_64)}", x, "must be an AMI id: ami- and 8 or 17 lower-case hex digits");
        if (pins.Arm64 is { } a && !IsAmiId(a))
            throw new PropsValidationException($"{path}.{nameof(Arm64)}", a, "must be an AMI id: ami- and 8 or 17 lower-case hex digits");
    }

    /// <summary>The architecture of an instance type, as the CDK's instance-type table says (arm64 for Graviton).</summary>
    public static InstanceArchitecture ArchitectureOf(string instanceType) => new InstanceType(instanceType).Architecture;

    /// <summary>The pinned AMI id for <paramref name="instanceType"/>; throws naming <paramref name="path"/> when its architecture has no pin.</summary>
    /// <exception cref="PropsValidationException">No pin for the instance type's architecture.</exception>
    public string IdFor(string instanceType, string path = "InstanceType")
    {
        var arm = ArchitectureOf(instanceType) == InstanceArchitecture.ARM_64;
        return (arm ? Arm64 : X86_64) ?? throw new PropsValidationException(path, instanceType,
            arm ? "is an arm64 (Graviton) type, but machineImages pins no arm64 image: add machineImages.arm64 or choose an x86_64 type"
                : "is an x86_64 type, but machineImages pins no x86_64 image: add machineImages.x86_64 or choose an arm64 type");
    }

    /// <summary>The pinned image for <paramref name="instanceType"/> in <paramref name="region"/>.</summary>
    public IMachineImage ImageFor(string region, string instanceType) =>
        MachineImage.GenericLinux(new Dictionary<string, string> { [region] = IdFor(instanceType) });
}
