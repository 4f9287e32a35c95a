namespace ScalableBackend.Policies.Rules.ElastiCache;

/// <summary>Shared check: a boolean property of a replication group must be literally true (intrinsics pass).</summary>
internal abstract class RequiredFlagRule : IPolicyRule
{
    public const string ReplicationGroup = "AWS::ElastiCache::ReplicationGroup";

    public abstract RuleDescriptor Descriptor { get; }

    public IReadOnlyList<string> ResourceTypes { get; } = [ReplicationGroup];

    protected abstract IReadOnlyList<string> Flags { get; }

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        foreach (var flag in Flags)
        {
            var value = r[flag];
            if (!Values.IsIntrinsic(value) && !Values.IsTrue(value))
            {
                yield return $"{flag} {RuleText.Describe(value)}";
            }
        }
    }
}

/// <summary>SB-EC-001.</summary>
internal sealed class AtRestEncryption : RequiredFlagRule
{
    public override RuleDescriptor Descriptor { get; } = new(
        "SB-EC-001", Severity.Error,
        "ElastiCache encrypts data at rest",
        "Cache nodes write snapshots and swap to disk; without encryption at rest those hold session and user data in the clear, and it cannot be enabled on an existing group.",
        "Set AtRestEncryptionEnabled: true on the replication group.",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html#elasticache-4");

    protected override IReadOnlyList<string> Flags { get; } = ["AtRestEncryptionEnabled"];
}

/// <summary>SB-EC-002.</summary>
internal sealed class TransitEncryption : RequiredFlagRule
{
    public override RuleDescriptor Descriptor { get; } = new(
        "SB-EC-002", Severity.Error,
        "ElastiCache encrypts data in transit",
        "Without TLS, cached data and AUTH tokens cross the VPC in plaintext to anything that can observe the traffic.",
        "Set TransitEncryptionEnabled: true on the replication group (and connect clients with TLS).",
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html#elasticache-5");

    protected override IReadOnlyList<string> Flags { get; } = ["TransitEncryptionEnabled"];
}

/// <summary>SB-EC-003 (production).</summary>
internal sealed class MultiAzFailover : RequiredFlagRule
{
    public override RuleDescriptor Descriptor { get; } = new(
        "SB-EC-003", Severity.Error,
        "Production caches are Multi-AZ with automatic failover",
        "Without automatic failover across zones, losing the primary node or its zone takes the cache down until someone intervenes, and the backend behind it takes the full load.",
        "Set MultiAZEnabled: true and AutomaticFailoverEnabled: true, with at least one replica in another AZ.",
        ProductionOnly: true,
        Source: "https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html#elasticache-3");

    protected override IReadOnlyList<string> Flags { get; } = ["MultiAZEnabled", "AutomaticFailoverEnabled"];
}
