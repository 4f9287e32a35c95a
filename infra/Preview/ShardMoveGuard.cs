using System.Text.Json.Nodes;
using ScalableBackend.Policies;
using ScalableBackend.Sharding;

namespace ScalableBackend.Infra.Preview;

/// <summary>A shard map change the preview refuses (rule <see cref="ShardMoveGuard.RuleId"/>), and whether the head acknowledges it.</summary>
/// <param name="LogicalId">The shard map parameter (<c>AWS::SSM::Parameter</c>).</param>
/// <param name="Message">What the change does and which step comes first.</param>
/// <param name="Reason">The acknowledgement's reason on the head parameter; null when not acknowledged.</param>
public sealed record ShardMoveChange(string LogicalId, string Message, string? Reason)
{
    /// <summary>True when acknowledged in code with a reason.</summary>
    public bool Acknowledged => Reason is not null;

    /// <summary>One line for people: "DatabaseShardMap…: buckets 896-1023 …".</summary>
    public string Describe() => $"{LogicalId}: {Message}";
}

/// <summary>
/// The resharding guard (rule <see cref="RuleId"/>): compares the shard map a base template publishes with the head's
/// and refuses a change that sends live keys to a shard before their rows are there. Buckets move in four deploys —
/// (1) the new shard with <c>buckets: []</c>, (2) a move in state <c>copying</c> while the copy runs, (3) the range
/// listed under the new owner with the move <c>switched</c>, (4) <c>cleaned</c> — and the guard checks that a head
/// takes at most the next one: buckets given to a shard the base does not have skip steps 1 and 2; buckets whose owner
/// changes without the base's map saying they are <c>copying</c> from that owner to the new one skip step 2; a move
/// <c>cleaned</c> that the base still lists as <c>copying</c> skips step 3; and <c>bucketCount</c> never changes.
/// A shard map is any <c>AWS::SSM::Parameter</c> whose value, with CloudFormation's tokens (endpoints, secret ARNs)
/// replaced by placeholders, reads as one; maps are matched by logical id. A map only the head has (a new database)
/// is not judged.
/// </summary>
public static class ShardMoveGuard
{
    /// <summary>The rule id used in acknowledgements.</summary>
    public const string RuleId = "SB-DIFF-002"; // ChangeRules.ShardMoveOrder.Id

    /// <summary>The rule's descriptor, from the policy pack's catalog.</summary>
    public static readonly RuleDescriptor Descriptor = ChangeRules.ShardMoveOrder;

    /// <summary>The refused changes between the shard maps of <paramref name="baseTemplate"/> and <paramref name="head"/> (either may be null: a new or removed stack).</summary>
    public static IReadOnlyList<ShardMoveChange> Find(TemplateDocument? baseTemplate, TemplateDocument? head)
    {
        if (baseTemplate is null || head is null)
            return [];
        var bases = MapsIn(baseTemplate);
        var changes = new List<ShardMoveChange>();
        foreach (var (id, headMap) in MapsIn(head))
        {
            if (!bases.TryGetValue(id, out var baseMap))
                continue;
            var reason = Acknowledgement(head.GetResource(id)?.Metadata);
            changes.AddRange(Compare(baseMap, headMap).Select(message => new ShardMoveChange(id, message, reason)));
        }
        return changes;
    }

    /// <summary>
    /// Why <paramref name="head"/> may not follow <paramref name="baseMap"/> in one deploy: one message per problem,
    /// naming the buckets and the step that comes first; empty when the change is a step of the lifecycle.
    /// </summary>
    public static IReadOnlyList<string> Compare(ShardMap baseMap, ShardMap head)
    {
        if (baseMap.BucketCount != head.BucketCount)
            return [$"bucketCount changes from {baseMap.BucketCount} to {head.BucketCount}: every key would map to another bucket and miss its rows; bucketCount is fixed for the life of the data"];
        var messages = new List<string>();
        // Buckets whose owner changes, grouped into runs of (base owner, head owner, what is wrong).
        var runs = new List<(BucketRange Range, string From, string To, Problem Problem)>();
        for (var bucket = 0; bucket < head.BucketCount; bucket++)
        {
            var from = baseMap.ShardOf(bucket);
            var to = head.ShardOf(bucket);
            var problem = from == to ? Problem.None
                : !baseMap.Shards.ContainsKey(to) ? Problem.NewShard
                : baseMap.MoveOf(bucket) is { State: MoveState.Copying } m && m.From == from && m.To == to ? Problem.None
                : Problem.NotCopying;
            if (problem == Problem.None)
                continue;
            if (runs.Count > 0 && runs[^1] is var last && last.Range.To == bucket - 1 && last.From == from && last.To == to && last.Problem == problem)
                runs[^1] = (last.Range with { To = bucket }, from, to, problem);
            else
                runs.Add((new BucketRange(bucket, bucket), from, to, problem));
        }
        foreach (var (range, from, to, problem) in runs)
        {
            messages.Add(problem == Problem.NewShard
                ? $"buckets {range} are given to {to}, which does not exist in the base; first deploy {to} with buckets: [] (step 1), then a move of {range} from {from} to {to} with state: copying and copy the rows (step 2), then switch it (step 3)"
                : $"buckets {range} switch from {from} to {to} without having been copying in the base; first deploy a move of {range} from {from} to {to} with state: copying and copy the rows (step 2), then switch it (step 3)");
        }
        foreach (var move in head.Moves.Where(m => m.State == MoveState.Cleaned))
        {
            var copying = baseMap.Moves.FirstOrDefault(b => b.State == MoveState.Copying && b.From == move.From && b.To == move.To && b.Buckets.Overlaps(move.Buckets));
            if (copying is not null)
                messages.Add($"the move of {move.Buckets} from {move.From} to {move.To} is cleaned, but the base still has it copying; first deploy it switched (step 3), wait one refresh interval, then clean the old copy (step 4)");
        }
        return messages;
    }

    /// <summary>The shard maps a template publishes, by the logical id of their <c>AWS::SSM::Parameter</c>.</summary>
    public static IReadOnlyDictionary<string, ShardMap> MapsIn(TemplateDocument template)
    {
        var maps = new Dictionary<string, ShardMap>(StringComparer.Ordinal);
        foreach (var parameter in template.OfType("AWS::SSM::Parameter"))
        {
            if (Text(parameter.Properties["Value"]) is not { } text || !LooksLikeShardMap(text))
                continue;
            try
            {
                maps[parameter.LogicalId] = ShardMap.Parse(text);
            }
            catch (ShardMapException e)
            {
                throw new PreviewException($"{template.File}: {parameter.LogicalId} publishes a shard map that does not read: {e.Message}");
            }
        }
        return maps;
    }

    private enum Problem { None, NewShard, NotCopying }

    private const string Placeholder = "token";

    private static bool LooksLikeShardMap(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject o && o.ContainsKey("bucketCount") && o.ContainsKey("shards");
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The parameter's value as text: a literal, or a <c>Fn::Join</c> with every part that is not literal text replaced by a placeholder; null for anything else.</summary>
    private static string? Text(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o when o["Fn::Join"] is JsonArray { Count: 2 } join && join[0] is JsonValue separator
                          && separator.TryGetValue<string>(out var sep) && join[1] is JsonArray parts =>
            string.Join(sep, parts.Select(p => Text(p) ?? Placeholder)), // a token (Ref, Fn::GetAtt, …) in a join
        _ => null,
    };

    private static string? Acknowledgement(JsonObject? metadata) =>
        (Values.At(metadata, $"{Policies.Acknowledgement.MetadataKey}.{Policies.Acknowledgement.ListKey}") as JsonArray ?? []).OfType<JsonObject>()
            .Where(e => Values.AsString(e["Rule"])?.Trim() == RuleId)
            .Select(e => Values.AsString(e["Reason"])?.Trim())
            .FirstOrDefault(r => r is { Length: > 0 });
}
