namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>
/// SB-RDS-004 (production). A standalone instance needs MultiAZ: true; an Aurora cluster needs at least two
/// instances in the template (its writer and a reader to fail over to). Multi-AZ DB clusters
/// (DBClusterInstanceClass set), Aurora Serverless v1, replicas and intrinsic values pass.
/// </summary>
internal sealed class MultiAz : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-RDS-004", Severity.Error,
        "Production databases are Multi-AZ",
        "A single-AZ database is down for the whole outage of its zone and for every maintenance reboot; a standby in another zone takes over in a minute or two.",
        "Set MultiAZ: true on the instance, or give an Aurora cluster at least two DB instances.",
        ProductionOnly: true,
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-5");

    public IReadOnlyList<string> ResourceTypes => RdsShape.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (!RdsShape.OwnsStorage(r))
        {
            yield break;
        }

        if (r.Type == RdsShape.Instance)
        {
            var value = r["MultiAZ"];
            if (!Values.IsIntrinsic(value) && !Values.IsTrue(value))
            {
                yield return $"MultiAZ {RuleText.Describe(value)}";
            }

            yield break;
        }

        if (RdsShape.IsServerlessV1(r) || r["DBClusterInstanceClass"] is not null)
        {
            yield break;
        }

        var instances = context.Graph.Referrers(r, RdsShape.Instance, "DBClusterIdentifier").Count();
        if (instances < 2)
        {
            yield return $"the cluster has {instances} DB instance(s) in this template; a failover target needs at least 2";
        }
    }
}
