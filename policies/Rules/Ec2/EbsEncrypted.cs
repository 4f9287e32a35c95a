using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Ec2;

/// <summary>
/// SB-EC2-001. Checks each block device mapping that declares an Ebs volume (launch templates, launch
/// configurations, instances) and standalone volumes. Instance-store mappings and intrinsic values pass; volumes
/// that are not mapped at all (the AMI's root volume) cannot be judged from the template and are not flagged.
/// </summary>
internal sealed class EbsEncrypted : IPolicyRule
{
    public const string LaunchTemplate = "AWS::EC2::LaunchTemplate";
    public const string LaunchConfiguration = "AWS::AutoScaling::LaunchConfiguration";
    private const string Instance = "AWS::EC2::Instance";
    private const string Volume = "AWS::EC2::Volume";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-EC2-001", Severity.Error,
        "EBS volumes are encrypted",
        "Unencrypted volumes and their snapshots expose instance data (caches, temp files, logs) to anyone who can copy or share a snapshot.",
        "Set Ebs.Encrypted: true in every block device mapping (and Encrypted: true on AWS::EC2::Volume), or turn on EBS encryption by default for the account and say so in an acknowledgement.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-3");

    public IReadOnlyList<string> ResourceTypes { get; } = [LaunchTemplate, LaunchConfiguration, Instance, Volume];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r.Type == Volume)
        {
            var encrypted = r["Encrypted"];
            if (!Values.IsIntrinsic(encrypted) && !Values.IsTrue(encrypted))
            {
                yield return $"Encrypted {RuleText.Describe(encrypted)}";
            }

            yield break;
        }

        var mappings = r.Type == LaunchTemplate
            ? Values.At(r.Properties, "LaunchTemplateData.BlockDeviceMappings")
            : r["BlockDeviceMappings"];
        foreach (var mapping in (Values.AsList(mappings) ?? []).OfType<JsonObject>())
        {
            if (mapping["Ebs"] is not JsonObject ebs)
            {
                continue;
            }

            var encrypted = ebs["Encrypted"];
            if (!Values.IsIntrinsic(encrypted) && !Values.IsTrue(encrypted))
            {
                yield return $"block device {Values.AsString(mapping["DeviceName"]) ?? "?"}: Ebs.Encrypted {RuleText.Describe(encrypted)}";
            }
        }
    }
}
