using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules;

/// <summary>
/// The TLS-only resource policy of a bucket, queue or topic. A policy is the resource's when its target property
/// refers to the resource (<c>Ref</c>, <c>Fn::GetAtt</c>, <c>Fn::ImportValue</c>, an SSM parameter) or names it by the
/// same text as the resource's name property (a literal or the same <c>Fn::Sub</c>/<c>Fn::Join</c> text, parameters
/// at their defaults). It protects the resource when one of its statements denies, for every principal, the
/// service's actions on <c>aws:SecureTransport = false</c>, and that statement's <c>Resource</c> covers the resource:
/// the bucket ARN and its objects (<c>arn:aws:s3:::name/*</c>), the queue or topic ARN (wildcards match; an absent
/// <c>Resource</c> means the resource the policy is attached to).
/// </summary>
internal sealed record SecureTransport(
    string PolicyType, string TargetProperty, string NameProperty, string Service, IReadOnlyList<string> DenyActions)
{
    public static SecureTransport Bucket => new("AWS::S3::BucketPolicy", "Bucket", "BucketName", "s3", ["*", "s3:*"]);
    public static SecureTransport Queue => new("AWS::SQS::QueuePolicy", "Queues", "QueueName", "sqs", ["*", "sqs:*"]);
    public static SecureTransport Topic => new("AWS::SNS::TopicPolicy", "Topics", "TopicName", "sns", ["*", "sns:*", "sns:Publish"]);

    /// <summary>One message when no policy of the resource denies requests without TLS on it; else none.</summary>
    public IEnumerable<string> Require(TemplateResource resource, RuleContext context)
    {
        var name = context.Graph.Text(context.Resolve(resource[NameProperty]), resource.Template);
        var policies = context.Graph.Referrers(resource, PolicyType, TargetProperty)
            .Concat(name is null ? [] : context.Graph.OfType(PolicyType).Where(p => NamesByText(p, name, context)))
            .Distinct()
            .ToList();
        if (policies.Count == 0)
        {
            yield return $"no {PolicyType} in {(context.Stack is null ? "this template" : "the stacks checked")} refers to {resource.LogicalId} or names it, so nothing denies requests without TLS";
            yield break;
        }

        var arns = Arns(resource, name);
        if (!policies.Any(p => RuleText.Statements(p["PolicyDocument"]).Any(s => Protects(s, p, resource, arns, context))))
        {
            yield return $"{string.Join(", ", policies.Select(context.NameOf))} has no Deny statement for every principal on {DenyActions[^1]} with Condition Bool aws:SecureTransport = false whose Resource covers {Covered}";
        }
    }

    private string Covered => Service == "s3" ? "the bucket and its objects (arn:aws:s3:::name and arn:aws:s3:::name/*)" : $"the {(Service == "sqs" ? "queue" : "topic")} ARN";

    private bool NamesByText(TemplateResource policy, string name, RuleContext context) =>
        RuleText.Items(policy[TargetProperty]).Any(item =>
            context.Graph.Text(item, policy.Template) is { } text
            && (Service switch
            {
                "s3" => text == name,
                "sqs" => text.EndsWith("/" + name, StringComparison.Ordinal),
                _ => text.EndsWith(":" + name, StringComparison.Ordinal),
            }));

    /// <summary>The spellings of the resource's ARN; for a bucket, first the bucket's, then its objects'.</summary>
    private (List<string> Resource, List<string> Objects) Arns(TemplateResource resource, string? name)
    {
        var id = resource.LogicalId;
        var arns = Service switch
        {
            "s3" => new List<string> { $"${{{id}.Arn}}", $"arn:aws:s3:::${{{id}}}" },
            "sqs" => [$"${{{id}.Arn}}", $"arn:aws:sqs:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}.QueueName}}"],
            _ => [$"${{{id}}}", $"${{{id}.TopicArn}}", $"arn:aws:sns:${{AWS::Region}}:${{AWS::AccountId}}:${{{id}.TopicName}}"],
        };
        if (name is not null)
        {
            arns.Add(Service switch
            {
                "s3" => $"arn:aws:s3:::{name}",
                _ => $"arn:aws:{Service}:${{AWS::Region}}:${{AWS::AccountId}}:{name}",
            });
        }

        return (arns, Service == "s3" ? arns.Select(a => a + "/*").ToList() : []);
    }

    private bool Protects(JsonObject statement, TemplateResource policy, TemplateResource resource, (List<string> Resource, List<string> Objects) arns, RuleContext context)
    {
        if (!Values.IsString(statement["Effect"], "Deny") || !RuleText.DeniesInsecureTransport(statement) || !EveryPrincipal(statement["Principal"]))
        {
            return false;
        }

        if (!RuleText.Items(statement["Action"]).Any(a => DenyActions.Any(d => string.Equals(Values.AsString(a), d, StringComparison.OrdinalIgnoreCase))))
        {
            return false;
        }

        if (statement["Resource"] is null)
        {
            return statement["NotResource"] is null;
        }

        var patterns = new List<string>();
        var names = false;
        foreach (var item in RuleText.Items(statement["Resource"]))
        {
            if (ReferenceEquals(context.Graph.Resolve(item), resource))
            {
                names = true;
            }
            else if (context.Graph.Text(item, policy.Template) is { } text)
            {
                patterns.Add(text);
            }
        }

        var coversResource = names || arns.Resource.Any(a => patterns.Any(p => Glob.Matches(p, a)));
        var coversObjects = arns.Objects.Count == 0 || arns.Objects.Any(a => patterns.Any(p => Glob.Matches(p, a)));
        return coversResource && coversObjects;
    }

    private static bool EveryPrincipal(JsonNode? principal) =>
        Values.IsString(principal, "*")
        || (principal is JsonObject obj && (Values.AsList(obj["AWS"]) ?? []).Any(p => Values.IsString(p, "*")));
}

/// <summary>IAM-style wildcard matching: <c>*</c> matches any run of characters, <c>?</c> any one.</summary>
internal static class Glob
{
    public static bool Matches(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
