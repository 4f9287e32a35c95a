using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Messaging;

/// <summary>
/// SB-SNS-003. A topic policy replaces SNS's default policy, so an AWS service that publishes to the topic under its
/// service principal needs a statement allowing it. For each topic an <c>AWS::SNS::TopicPolicy</c> names in
/// <c>Topics</c>, the publishers are the resources of the template set that refer to the topic as a destination:
/// CloudWatch alarms and composite alarms (<c>AlarmActions</c>, <c>OKActions</c>, <c>InsufficientDataActions</c>:
/// <c>cloudwatch.amazonaws.com</c>), EventBridge rules (<c>Targets</c>: <c>events.amazonaws.com</c>) and S3 buckets
/// (<c>NotificationConfiguration</c>: <c>s3.amazonaws.com</c>). The policy fails for a publisher's service when a Deny
/// statement without a <c>Condition</c> denies it <c>sns:Publish</c>, or when no Allow statement allows it: Effect Allow,
/// an <c>Action</c> matching <c>sns:Publish</c> (<c>sns:*</c>, <c>*</c>, wildcards, any case) and a <c>Principal</c> of
/// <c>*</c>, <c>AWS: *</c> or <c>Service</c> naming the service. A Deny with a condition (such as
/// <c>aws:SecureTransport = false</c>) and an Allow's conditions are not evaluated. Principals that publish with their
/// own IAM permissions (roles, Auto Scaling's service-linked role) need no statement and are not publishers here;
/// topics referred to by a literal ARN are not linked; a statement list that is an intrinsic passes.
/// </summary>
internal sealed class TopicPolicyAllowsPublishers : IPolicyRule
{
    public const string TopicPolicy = "AWS::SNS::TopicPolicy";

    /// <summary>(publisher type, property naming the topic, the service principal that publishes).</summary>
    private static readonly (string Type, string Property, string Service)[] Publishers =
    [
        ("AWS::CloudWatch::Alarm", "AlarmActions", "cloudwatch.amazonaws.com"),
        ("AWS::CloudWatch::Alarm", "OKActions", "cloudwatch.amazonaws.com"),
        ("AWS::CloudWatch::Alarm", "InsufficientDataActions", "cloudwatch.amazonaws.com"),
        ("AWS::CloudWatch::CompositeAlarm", "AlarmActions", "cloudwatch.amazonaws.com"),
        ("AWS::CloudWatch::CompositeAlarm", "OKActions", "cloudwatch.amazonaws.com"),
        ("AWS::CloudWatch::CompositeAlarm", "InsufficientDataActions", "cloudwatch.amazonaws.com"),
        ("AWS::Events::Rule", "Targets", "events.amazonaws.com"),
        ("AWS::S3::Bucket", "NotificationConfiguration", "s3.amazonaws.com"),
    ];

    public RuleDescriptor Descriptor { get; } = new(
        "SB-SNS-003", Severity.Error,
        "Topic policies let the topic's publishers publish",
        "A topic policy replaces SNS's default policy: when it has only Deny statements, or denies sns:Publish to a service, the CloudWatch alarms, EventBridge rules or S3 notifications that publish to the topic are refused and their notifications are dropped without any error at deploy time (alarms that never arrive).",
        "Add an Allow statement for the publishing service on sns:Publish, with aws:SourceAccount and aws:SourceArn conditions (e.g. Principal Service cloudwatch.amazonaws.com, ArnLike aws:SourceArn arn:aws:cloudwatch:<region>:<account>:alarm:*), and keep Deny statements conditional (aws:SecureTransport = false). An encrypted topic's key must let the service use it too.",
        Source: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html");

    public IReadOnlyList<string> ResourceTypes { get; } = [TopicPolicy];

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (Values.AsList(Values.At(r["PolicyDocument"], "Statement")) is null)
        {
            yield break;
        }

        var statements = RuleText.Statements(r["PolicyDocument"]).ToList();
        var topics = RuleText.Items(r["Topics"]).Select(context.Graph.Resolve)
            .Where(t => t?.Type == TopicEncrypted.Topic).OfType<TemplateResource>().Distinct();
        foreach (var topic in topics)
        {
            var byService = Publishers
                .SelectMany(p => context.Graph.Referrers(topic, p.Type, p.Property).Select(source => (p.Service, Source: source)))
                .GroupBy(p => p.Service, StringComparer.Ordinal);
            foreach (var group in byService)
            {
                var service = group.Key;
                var names = group.Select(p => context.NameOf(p.Source)).Distinct().ToList();
                var who = $"{string.Join(", ", names.Take(3))}{(names.Count > 3 ? $" and {names.Count - 3} more" : "")}";
                var deny = statements.FirstOrDefault(s => Values.IsString(s["Effect"], "Deny") && s["Condition"] is null
                    && Publishes(s) && Covers(s["Principal"], service));
                if (deny is not null)
                {
                    yield return $"{who} publish to {context.NameOf(topic)} as {service}, but statement {Values.AsString(deny["Sid"]) ?? statements.IndexOf(deny).ToString(System.Globalization.CultureInfo.InvariantCulture)} denies it sns:Publish without a condition";
                }
                else if (!statements.Any(s => Values.IsString(s["Effect"], "Allow") && Publishes(s) && Covers(s["Principal"], service)))
                {
                    yield return $"{who} publish to {context.NameOf(topic)} as {service}, but no Allow statement lets {service} call sns:Publish (the policy replaces SNS's default policy)";
                }
            }
        }
    }

    private static bool Publishes(JsonObject statement) =>
        RuleText.Items(statement["Action"]).Any(a => Values.AsString(a) is { } action && Glob.Matches(action.ToLowerInvariant(), "sns:publish"));

    private static bool Covers(JsonNode? principal, string service) =>
        Values.IsString(principal, "*")
        || (principal is JsonObject obj
            && (RuleText.Items(obj["AWS"]).Any(p => Values.IsString(p, "*"))
                || RuleText.Items(obj["Service"]).Any(p => Values.IsString(p, service))));
}
