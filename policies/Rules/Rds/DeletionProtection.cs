namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>SB-RDS-005 (production). Intrinsic values pass; cluster members are protected by their cluster.</summary>
internal sealed class DeletionProtection : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-RDS-005", Severity.Error,
        "Production databases have deletion protection",
        "A stack update that replaces or removes the database, or a stray delete call, destroys production data instantly.",
        "Set DeletionProtection: true on the DB instance or cluster.",
        ProductionOnly: true,
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-8");

    public IReadOnlyList<string> ResourceTypes => RdsShape.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (RdsShape.IsClusterMember(r))
        {
            yield break;
        }

        var value = r["DeletionProtection"];
        if (!Values.IsIntrinsic(value) && !Values.IsTrue(value))
        {
            yield return $"DeletionProtection {RuleText.Describe(value)}";
        }
    }
}
