namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>SB-RDS-001. Intrinsic values are unknown and pass; cluster members, replicas, snapshot restores and
/// Aurora Serverless v1 are skipped (their encryption is decided elsewhere).</summary>
internal sealed class StorageEncrypted : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-RDS-001", Severity.Error,
        "RDS storage is encrypted at rest",
        "Unencrypted database storage, snapshots and backups expose data to anyone who obtains them; encryption cannot be turned on later without a snapshot-restore migration.",
        "Set StorageEncrypted: true (and KmsKeyId for a customer-managed key) on the DB instance or cluster.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-3");

    public IReadOnlyList<string> ResourceTypes => RdsShape.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (!RdsShape.OwnsStorage(r) || RdsShape.IsFromSnapshot(r) || RdsShape.IsServerlessV1(r))
        {
            yield break;
        }

        var value = r["StorageEncrypted"];
        if (!Values.IsIntrinsic(value) && !Values.IsTrue(value))
        {
            yield return $"StorageEncrypted {RuleText.Describe(value)}";
        }
    }
}
