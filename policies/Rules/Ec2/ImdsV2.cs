using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Ec2;

/// <summary>
/// SB-EC2-003. Launch templates, launch configurations and instances must set MetadataOptions.HttpTokens: required,
/// or switch the metadata endpoint off (HttpEndpoint: disabled). An instance started from a launch template in the
/// template is judged there, unless it sets its own MetadataOptions. Without HttpTokens the image decides: an
/// Amazon Linux 2023 image (an SSM public parameter <c>/aws/service/ami-amazon-linux-latest/al2023-…</c>, as a
/// parameter default or a <c>{{resolve:ssm:…}}</c> reference) has ImdsSupport v2.0, so its instances require IMDSv2
/// by default and pass. Intrinsic values pass; a parameter's default counts.
/// </summary>
internal sealed class ImdsV2 : IPolicyRule
{
    private const string Instance = "AWS::EC2::Instance";
    private const string Al2023Prefix = "/aws/service/ami-amazon-linux-latest/al2023-";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-EC2-003", Severity.Error,
        "Instances require IMDSv2",
        "IMDSv1 answers any request from the instance, so a server-side request forgery in the application hands out the instance role's credentials; IMDSv2's session tokens stop that. AWS Security Hub EC2.8 (high) fails instances that do not require IMDSv2.",
        "Set MetadataOptions.HttpTokens: required (CDK: requireImdsv2: true) in the launch template or on the instance, or use an Amazon Linux 2023 image, which requires IMDSv2 by default.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-8");

    public IReadOnlyList<string> ResourceTypes { get; } = [EbsEncrypted.LaunchTemplate, EbsEncrypted.LaunchConfiguration, Instance];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var (options, image) = r.Type switch
        {
            EbsEncrypted.LaunchTemplate => (Values.At(r.Properties, "LaunchTemplateData.MetadataOptions"), Values.At(r.Properties, "LaunchTemplateData.ImageId")),
            _ => (r["MetadataOptions"], r["ImageId"]),
        };
        if (r.Type == Instance && options is null && context.Graph.Resolve(Values.At(r.Properties, "LaunchTemplate.LaunchTemplateId") ?? Values.At(r.Properties, "LaunchTemplate.LaunchTemplateName")) is not null)
        {
            yield break;
        }

        var tokens = Values.At(options, "HttpTokens");
        var resolved = context.Resolve(tokens);
        if (Values.IsIntrinsic(resolved) || Values.IsString(resolved, "required")
            || Values.IsString(context.Resolve(Values.At(options, "HttpEndpoint")), "disabled")
            || (tokens is null && IsAmazonLinux2023(image, context)))
        {
            yield break;
        }

        yield return $"MetadataOptions.HttpTokens {(tokens is null ? "is missing (IMDSv1 allowed by the image)" : context.Describe(tokens))}";
    }

    /// <summary>An image id given by the public SSM parameter of an Amazon Linux 2023 AMI.</summary>
    private static bool IsAmazonLinux2023(JsonNode? image, RuleContext context)
    {
        if (Values.AsString(image) is { } text)
        {
            return text.StartsWith("{{resolve:ssm:" + Al2023Prefix, StringComparison.Ordinal);
        }

        return image is JsonObject { Count: 1 } obj && obj["Ref"] is JsonValue r && r.TryGetValue<string>(out var name)
            && context.Template.Parameters?[name] is JsonObject parameter
            && StaticText.IsSsmParameterType(parameter)
            && Values.AsString(parameter["Default"])?.StartsWith(Al2023Prefix, StringComparison.Ordinal) == true;
    }
}
