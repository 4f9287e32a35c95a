using ScalableBackend.Policies.Rules.Acknowledgements;
using ScalableBackend.Policies.Rules.ApiGateway;
using ScalableBackend.Policies.Rules.AutoScaling;
using ScalableBackend.Policies.Rules.Ec2;
using ScalableBackend.Policies.Rules.ElastiCache;
using ScalableBackend.Policies.Rules.Kms;
using ScalableBackend.Policies.Rules.LoadBalancing;
using ScalableBackend.Policies.Rules.Logs;
using ScalableBackend.Policies.Rules.Messaging;
using ScalableBackend.Policies.Rules.OpenSearch;
using ScalableBackend.Policies.Rules.Rds;
using ScalableBackend.Policies.Rules.S3;
using ScalableBackend.Policies.Rules.Security;

namespace ScalableBackend.Policies;

/// <summary>The rule catalog: every rule the policy pack knows, in id order.</summary>
public static class PolicyRules
{
    /// <summary>The checks <see cref="PolicyEngine.Default"/> runs over resources.</summary>
    public static IReadOnlyList<IPolicyRule> Checks { get; } = new IPolicyRule[]
    {
        new AccessLogs(), new EncryptedListeners(), new ModernTlsPolicy(), new LoadBalancerDeletionProtection(),
        new TargetGroupHealthCheck(), new OriginCheckBehindApi(),
        new CanScale(), new SpansZones(), new ElbHealthCheck(), new NoPublicIp(), new LaunchTemplateOnly(),
        new StageThrottling(), new StageWebAcl(),
        new AtRestEncryption(), new TransitEncryption(), new MultiAzFailover(),
        new EbsEncrypted(), new OpenIngress(), new ImdsV2(), new OpenWebIngress(),
        new NoWildcardActions(), new NoWildcardResources(), new NoBroadManagedPolicies(), new SsmReadEverywhere(),
        new KeyRotation(),
        new LogGroupEncrypted(), new LogGroupRetention(),
        new DomainEncryptedAtRest(), new DomainEnforcesHttps(), new DomainNodeToNodeEncryption(),
        new StorageEncrypted(), new ForceTls(), new NotPubliclyAccessible(), new MultiAz(), new DeletionProtection(),
        new BackupRetention(), new SnapshotOnDelete(),
        new BucketEncrypted(), new BucketSecureTransport(), new BucketBlocksPublicAccess(),
        new LiteralSecrets(),
        new TopicEncrypted(), new TopicSecureTransport(), new TopicPolicyAllowsPublishers(),
        new QueueEncrypted(), new QueueSecureTransport(), new QueueHasDeadLetterQueue(),
    }.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal).ToList();

    /// <summary>
    /// Every rule descriptor: the resource checks, the acknowledgement rules (SB-ACK-*) the engine applies to
    /// resource metadata, and the change rules (SB-DIFF-*) the preview applies between two templates. Pass this to <see cref="Sarif.Serialize"/>.
    /// </summary>
    public static IReadOnlyList<RuleDescriptor> All { get; } = AcknowledgementRules.All
        .Concat(ChangeRules.All)
        .Concat(Checks.Select(c => c.Descriptor))
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToList();

    /// <summary>The descriptor with this id, or null.</summary>
    public static RuleDescriptor? Find(string id) => All.FirstOrDefault(d => d.Id == id);
}
