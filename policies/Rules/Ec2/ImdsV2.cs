namespace ScalableBackend.Policies.Rules.Ec2;

/// <summary>
/// SB-EC2-003. Launch templates and launch configurations must set MetadataOptions.HttpTokens: required, or
/// switch the metadata endpoint off (HttpEndpoint: disabled). Intrinsic values pass.
/// </summary>
internal sealed class ImdsV2 : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-EC2-003", Severity.Error,
        "Instances require IMDSv2",
        "IMDSv1 answers any request from the instance, so a server-side request forgery in the application hands out the instance role's credentials.",
        "Set MetadataOptions.HttpTokens: required (CDK: requireImdsv2: true) in the launch template.");

    public IReadOnlyList<string> ResourceTypes { get; } = [EbsEncrypted.LaunchTemplate, EbsEncrypted.LaunchConfiguration];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var options = r.Type == EbsEncrypted.LaunchTemplate
            ? Values.At(r.Properties, "LaunchTemplateData.MetadataOptions")
            : r["MetadataOptions"];
        var tokens = Values.At(options, "HttpTokens");
        if (Values.IsIntrinsic(tokens) || Values.IsString(tokens, "required")
            || Values.IsString(Values.At(options, "HttpEndpoint"), "disabled"))
        {
            yield break;
        }

        yield return $"MetadataOptions.HttpTokens {(tokens is null ? "is missing (IMDSv1 allowed)" : RuleText.Describe(tokens))}";
    }
}
