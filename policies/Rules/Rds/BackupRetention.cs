namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>SB-RDS-006 (production). Absent means the service default of 1 day; intrinsic values pass.</summary>
internal sealed class BackupRetention : IPolicyRule
{
    private const int MinimumDays = 7;

    public RuleDescriptor Descriptor { get; } = new(
        "SB-RDS-006", Severity.Error,
        "Production databases keep backups for at least 7 days",
        "Corruption or a bad migration is often noticed days later; point-in-time recovery only reaches back as far as the retention period (default 1 day).",
        $"Set BackupRetentionPeriod to {MinimumDays} or more.",
        ProductionOnly: true,
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-11");

    public IReadOnlyList<string> ResourceTypes => RdsShape.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (!RdsShape.OwnsStorage(r))
        {
            yield break;
        }

        var value = r["BackupRetentionPeriod"];
        if (value is null)
        {
            yield return "BackupRetentionPeriod is missing (default 1 day)";
        }
        else if (Values.AsInteger(value) is { } days && days < MinimumDays)
        {
            yield return $"BackupRetentionPeriod is {days} day(s)";
        }
    }
}
