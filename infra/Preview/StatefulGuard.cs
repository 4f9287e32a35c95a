using System.Text.Json.Nodes;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Preview;

/// <summary>A change that would replace or remove a stateful resource, and whether the head acknowledges it.</summary>
/// <param name="LogicalId">The resource.</param>
/// <param name="ResourceType">Its type.</param>
/// <param name="Impact">WILL_REPLACE, MAY_REPLACE, WILL_DESTROY or WILL_ORPHAN.</param>
/// <param name="Causes">What forces it: the properties whose change replaces it, "type changed" or "removed from the template".</param>
/// <param name="Reason">The acknowledgement's reason; null when not acknowledged.</param>
public sealed record StatefulChange(string LogicalId, string ResourceType, string Impact, IReadOnlyList<string> Causes, string? Reason)
{
    /// <summary>True when acknowledged in code with a reason.</summary>
    public bool Acknowledged => Reason is not null;

    /// <summary>One line for people: "Queue (AWS::SQS::Queue) will be replaced: FifoQueue".</summary>
    public string Describe() => $"{LogicalId} ({ResourceType}) {What}";

    /// <summary>What happens and why: "will be replaced: FifoQueue".</summary>
    public string What => $"{Verb}: {string.Join(", ", Causes)}";

    private string Verb => Impact switch
    {
        "WILL_REPLACE" => "will be replaced",
        "MAY_REPLACE" => "may be replaced",
        "WILL_ORPHAN" => "will be removed from the stack (retained, orphaned)",
        _ => "will be deleted",
    };
}

/// <summary>
/// The stateful-replacement guard (rule <see cref="RuleId"/>): finds changes that would replace or delete a stateful
/// resource. Which property changes force a replacement comes from <c>@aws-cdk/cloudformation-diff</c>'s
/// classification (the CloudFormation resource specification), never from a list kept here. A change is accepted
/// when the head resource acknowledges <see cref="RuleId"/> with a reason in
/// <c>Metadata.ScalableBackend.Acknowledgements</c>; a removed resource is acknowledged in the head template's own
/// <c>Metadata.ScalableBackend.Acknowledgements</c> with <c>"Resource": "&lt;logical id&gt;"</c>.
/// </summary>
public static class StatefulGuard
{
    /// <summary>The rule id used in acknowledgements.</summary>
    public const string RuleId = "SB-DIFF-001"; // ChangeRules.StatefulReplacement.Id

    /// <summary>The rule's descriptor, from the policy pack's catalog.</summary>
    public static readonly RuleDescriptor Descriptor = ChangeRules.StatefulReplacement;

    /// <summary>Resource types that hold state or identity others depend on.</summary>
    public static readonly IReadOnlySet<string> StatefulTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ServerlessCache", "AWS::SQS::Queue", "AWS::S3::Bucket", "AWS::OpenSearchService::Domain",
        "AWS::Logs::LogGroup", "AWS::AmazonMQ::Broker", "AWS::MSK::Cluster", "AWS::DynamoDB::Table", "AWS::EFS::FileSystem",
        "AWS::KMS::Key", "AWS::SecretsManager::Secret", "AWS::Kinesis::Stream",
    };

    private static readonly HashSet<string> RiskyImpacts = ["WILL_REPLACE", "MAY_REPLACE", "WILL_DESTROY", "WILL_ORPHAN"];

    /// <summary>The stateful changes in <paramref name="diff"/>, acknowledged or not, using <paramref name="head"/>'s metadata.</summary>
    public static IReadOnlyList<StatefulChange> Find(TemplateDiffResult diff, TemplateDocument head) => Find(diff, head, []);

    /// <summary>
    /// The stateful changes in <paramref name="diff"/> of stack <paramref name="stackName"/>, whose head template is
    /// <paramref name="head"/> (null when the stack was removed: every resource is deleted). A removed resource is
    /// acknowledged in the head template's metadata, or, for a removed stack, in the metadata of any of
    /// <paramref name="environmentHeads"/> (the environment's other stacks) by an entry whose <c>Resource</c> is its
    /// logical id and whose <c>Stack</c>, when given, is <paramref name="stackName"/>.
    /// </summary>
    public static IReadOnlyList<StatefulChange> Find(TemplateDiffResult diff, TemplateDocument? head, IReadOnlyList<TemplateDocument> environmentHeads, string? stackName = null)
    {
        head ??= TemplateDocument.Parse("{\"Resources\": {}}", "(removed stack)");
        string? RemovalAcknowledgement(string logicalId) => TemplateAcknowledgement(head, logicalId, stackName)
            ?? environmentHeads.Select(h => TemplateAcknowledgement(h, logicalId, stackName, requireStack: true)).FirstOrDefault(r => r is not null);
        var risks = new List<StatefulChange>();
        foreach (var change in diff.Changes)
        {
            var type = change.OldType ?? change.NewType;
            if (type is null || !StatefulTypes.Contains(type) || change.IsAddition)
                continue;
            var impact = change.IsRemoval && change.Impact is not ("WILL_ORPHAN" or "WILL_DESTROY") ? "WILL_DESTROY" : change.Impact;
            if (!RiskyImpacts.Contains(impact))
                continue;
            var causes = change.IsRemoval ? ["removed from the template"]
                : change.TypeChanged ? [$"type changed to {change.NewType}"]
                : change.Properties.Where(p => p.Impact is "WILL_REPLACE" or "MAY_REPLACE")
                    .Select(p => p.Impact == "MAY_REPLACE" ? $"{p.Name} (may replace)" : p.Name).ToList();
            if (causes.Count == 0)
                causes = ["replacement (see the diff)"];
            var reason = change.IsRemoval
                ? RemovalAcknowledgement(change.LogicalId)
                : ResourceAcknowledgement(head.GetResource(change.LogicalId)?.Metadata);
            risks.Add(new StatefulChange(change.LogicalId, type, impact, causes, reason));
        }
        return risks;
    }

    private static string? ResourceAcknowledgement(JsonObject? metadata) =>
        Entries(metadata).Select(e => Reason(e)).FirstOrDefault(r => r is not null);

    private static string? TemplateAcknowledgement(TemplateDocument head, string logicalId, string? stackName = null, bool requireStack = false) =>
        Entries(head.Root["Metadata"] as JsonObject)
            .Where(e => Values.AsString(e["Resource"]) == logicalId)
            .Where(e => Values.AsString(e["Stack"]) is { } stack ? stack == stackName : !requireStack)
            .Select(e => Reason(e)).FirstOrDefault(r => r is not null);

    private static IEnumerable<JsonObject> Entries(JsonObject? metadata) =>
        (Values.At(metadata, $"{Acknowledgement.MetadataKey}.{Acknowledgement.ListKey}") as JsonArray ?? []).OfType<JsonObject>();

    private static string? Reason(JsonObject entry) =>
        Values.AsString(entry["Rule"])?.Trim() == RuleId && Values.AsString(entry["Reason"])?.Trim() is { Length: > 0 } reason ? reason : null;
}
