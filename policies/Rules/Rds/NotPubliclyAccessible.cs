namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>SB-RDS-003. Only a literal true fails; absent means private in a VPC with private subnets.</summary>
internal sealed class NotPubliclyAccessible : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-RDS-003", Severity.Error,
        "Databases are not publicly accessible",
        "A publicly accessible database gets a public DNS name and address; one security-group mistake away from the internet.",
        "Remove PubliclyAccessible (or set it to false) and reach the database from inside the VPC.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2");

    public IReadOnlyList<string> ResourceTypes { get; } = [RdsShape.Instance];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (Values.IsTrue(r["PubliclyAccessible"]))
        {
            yield return "PubliclyAccessible is true";
        }
    }
}
