namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>SB-RDS-007 (production). Snapshot or Retain satisfy both policies; Aurora cluster members are skipped
/// (CloudFormation does not snapshot them; their cluster carries the policy).</summary>
internal sealed class SnapshotOnDelete : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-RDS-007", Severity.Error,
        "Production databases snapshot on delete and on replacement",
        "With the default Delete policy, removing the resource from the stack or a property change that forces replacement drops the database with no final snapshot.",
        "Set DeletionPolicy: Snapshot and UpdateReplacePolicy: Snapshot on the DB instance or cluster (CDK: RemovalPolicy.SNAPSHOT).",
        ProductionOnly: true,
        Source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html");

    public IReadOnlyList<string> ResourceTypes => RdsShape.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (RdsShape.IsClusterMember(r))
        {
            yield break;
        }

        if (!Keeps(r.DeletionPolicy))
        {
            yield return $"DeletionPolicy is {r.DeletionPolicy ?? "missing (Delete)"}";
        }

        if (!Keeps(r.UpdateReplacePolicy))
        {
            yield return $"UpdateReplacePolicy is {r.UpdateReplacePolicy ?? "missing (Delete)"}";
        }
    }

    private static bool Keeps(string? policy) => policy is "Snapshot" or "Retain";
}
