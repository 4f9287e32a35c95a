namespace ScalableBackend.Policies.Rules.Kms;

/// <summary>
/// SB-KMS-001. Customer-managed symmetric encryption keys (KeySpec absent or SYMMETRIC_DEFAULT, KeyUsage absent or
/// ENCRYPT_DECRYPT, key material not imported: Origin not EXTERNAL) must set EnableKeyRotation: true (CloudFormation's
/// default is false). Asymmetric, HMAC and imported keys cannot rotate automatically and are skipped. An intrinsic
/// value passes; a parameter's default counts.
/// </summary>
internal sealed class KeyRotation : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-KMS-001", Severity.Error,
        "Customer-managed KMS keys rotate",
        "A symmetric key that never rotates keeps protecting new data with the same key material for its whole life, so one exposure of it reaches every object, message and snapshot it ever encrypted; KMS rotates it yearly (or on the set period) without re-encrypting or downtime. AWS Security Hub KMS.4 (medium).",
        "Set EnableKeyRotation: true on the AWS::KMS::Key (CDK: new Key(…, { enableKeyRotation: true })).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4");

    public IReadOnlyList<string> ResourceTypes { get; } = ["AWS::KMS::Key"];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        var spec = Values.AsString(context.Resolve(r["KeySpec"]));
        var usage = Values.AsString(context.Resolve(r["KeyUsage"]));
        var origin = Values.AsString(context.Resolve(r["Origin"]));
        if ((spec is not null && spec != "SYMMETRIC_DEFAULT") || (usage is not null && usage != "ENCRYPT_DECRYPT")
            || origin == "EXTERNAL" || Values.IsIntrinsic(context.Resolve(r["KeySpec"])))
        {
            yield break;
        }

        var rotation = context.Resolve(r["EnableKeyRotation"]);
        if (!Values.IsIntrinsic(rotation) && !Values.IsTrue(rotation))
        {
            yield return $"EnableKeyRotation {(r["EnableKeyRotation"] is null ? "is missing (no rotation)" : context.Describe(r["EnableKeyRotation"]))}";
        }
    }
}
