namespace ScalableBackend.Policies.Rules.Logs;

/// <summary>SB-LOG-001. Any KmsKeyId (literal or intrinsic) passes.</summary>
internal sealed class LogGroupEncrypted : IPolicyRule
{
    public const string LogGroup = "AWS::Logs::LogGroup";

    public RuleDescriptor Descriptor { get; } = new(
        "SB-LOG-001", Severity.Warning,
        "Log groups are encrypted with a KMS key",
        "CloudWatch Logs encrypts with a service key by default; a customer-managed KMS key adds an access policy and an audit trail for logs that may contain personal data or tokens.",
        "Set KmsKeyId to the ARN of a KMS key whose policy allows the logs service principal.",
        Source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [LogGroup];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r["KmsKeyId"] is null)
        {
            yield return "KmsKeyId is missing";
        }
    }
}

/// <summary>SB-LOG-002. Any RetentionInDays (literal or intrinsic) passes.</summary>
internal sealed class LogGroupRetention : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-LOG-002", Severity.Warning,
        "Log groups have a retention period",
        "Without RetentionInDays CloudWatch Logs keeps events forever: storage cost grows with traffic without bound, and personal data outlives any retention promise. A cost and privacy matter, not a deploy blocker.",
        "Set RetentionInDays (e.g. 30 for dev, 365 for prod, per your compliance needs).",
        Source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention");

    public IReadOnlyList<string> ResourceTypes { get; } = [LogGroupEncrypted.LogGroup];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (r["RetentionInDays"] is null)
        {
            yield return "RetentionInDays is missing (logs never expire)";
        }
    }
}
