namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>
/// SB-S3-002, SB-SQS-002 and SB-SNS-002 branch by branch: how a policy is found (reference or name), and which Deny
/// statements protect the resource (effect, principal, action, resource and condition forms).
/// </summary>
public sealed class SecureTransportBranchTests
{
    private const string Deny = "{ Bool: { aws:SecureTransport: false } }";

    private static string QueueTemplate(string statements, string queues = "[!Ref Queue]", string queueName = "jobs") => $$"""
        Resources:
          Queue: { Type: AWS::SQS::Queue, Properties: { QueueName: {{queueName}} } }
          QueuePolicy:
            Type: AWS::SQS::QueuePolicy
            Properties:
              Queues: {{queues}}
              PolicyDocument:
                Statement:
        {{statements}}
        """;

    private static string QueueDeny(string resource = "!GetAtt Queue.Arn", string action = "\"sqs:*\"", string principal = "\"*\"", string condition = Deny) =>
        $"          - {{ Effect: Deny, Principal: {principal}, Action: {action}, Resource: {resource}, Condition: {condition} }}";

    private static IReadOnlyList<Finding> Queue(string yaml) => TestTemplates.Check(yaml).Only("SB-SQS-002");

    private static string TopicTemplate(string statements, string topics = "[!Ref Topic]", string topicName = "events") => $$"""
        Resources:
          Topic: { Type: AWS::SNS::Topic, Properties: { TopicName: {{topicName}}, KmsMasterKeyId: alias/aws/sns } }
          TopicPolicy:
            Type: AWS::SNS::TopicPolicy
            Properties:
              Topics: {{topics}}
              PolicyDocument:
                Statement:
        {{statements}}
        """;

    private static string TopicDeny(string resource = "!Ref Topic", string action = "sns:Publish") =>
        $"          - {{ Effect: Deny, Principal: \"*\", Action: {action}, Resource: {resource}, Condition: {Deny} }}";

    private static IReadOnlyList<Finding> Topic(string yaml) => TestTemplates.Check(yaml).Only("SB-SNS-002");

    private const string QueueMessage = "QueuePolicy has no Deny statement for every principal on sqs:* with Condition Bool aws:SecureTransport = false whose Resource covers the queue ARN";

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("\"sqs:*\"")]
    [InlineData("[sqs:SendMessage, \"SQS:*\"]")]
    public void A_queue_deny_on_every_sqs_action_protects_the_queue(string action)
    {
        Assert.Empty(Queue(QueueTemplate(QueueDeny(action: action))));
    }

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("\"sns:*\"")]
    [InlineData("sns:Publish")]
    [InlineData("[sns:Subscribe, SNS:Publish]")]
    public void A_topic_deny_on_publish_or_every_action_protects_the_topic(string action)
    {
        Assert.Empty(Topic(TopicTemplate(TopicDeny(action: action))));
    }

    [Fact]
    public void A_queue_deny_on_one_other_action_is_reported_with_the_policy_and_what_it_must_cover()
    {
        var finding = Assert.Single(Queue(QueueTemplate(QueueDeny(action: "sqs:SendMessage"))));

        Assert.Equal("Queue", finding.LogicalId);
        Assert.Equal(QueueMessage, finding.Message);
    }

    [Fact]
    public void A_topic_deny_on_another_action_is_reported_as_not_covering_the_topic_arn()
    {
        var finding = Assert.Single(Topic(TopicTemplate(TopicDeny(action: "sns:Subscribe"))));

        Assert.Equal("Topic", finding.LogicalId);
        Assert.Equal("TopicPolicy has no Deny statement for every principal on sns:Publish with Condition Bool aws:SecureTransport = false whose Resource covers the topic ARN", finding.Message);
    }

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("{ AWS: \"*\" }")]
    [InlineData("{ AWS: [arn:aws:iam::111122223333:root, \"*\"] }")]
    public void A_deny_for_everybody_in_any_spelling_protects_the_queue(string principal)
    {
        Assert.Empty(Queue(QueueTemplate(QueueDeny(principal: principal))));
    }

    [Theory]
    [InlineData("{ AWS: arn:aws:iam::111122223333:root }")]
    [InlineData("{ Service: sns.amazonaws.com }")]
    public void A_deny_for_some_principals_does_not_protect_the_queue(string principal)
    {
        Assert.Equal(QueueMessage, Assert.Single(Queue(QueueTemplate(QueueDeny(principal: principal)))).Message);
    }

    [Fact]
    public void An_allow_statement_with_the_tls_condition_is_not_a_deny()
    {
        var yaml = QueueTemplate($"          - {{ Effect: Allow, Principal: \"*\", Action: \"sqs:*\", Resource: !GetAtt Queue.Arn, Condition: {Deny} }}");

        Assert.Equal(QueueMessage, Assert.Single(Queue(yaml)).Message);
    }

    [Fact]
    public void A_protecting_statement_after_other_statements_still_protects()
    {
        var yaml = QueueTemplate(
            "          - { Effect: Allow, Principal: { Service: sns.amazonaws.com }, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn }\n" + QueueDeny());

        Assert.Empty(Queue(yaml));
    }

    [Theory]
    [InlineData("{ BoolIfExists: { aws:SecureTransport: false } }")]
    [InlineData("{ Bool: { AWS:SECURETRANSPORT: \"false\" } }")]
    [InlineData("{ Bool: { aws:SecureTransport: [false] } }")]
    [InlineData("{ Bool: { aws:SecureTransport: [true, false] } }")]
    public void A_condition_matching_requests_without_tls_protects_the_queue(string condition)
    {
        Assert.Empty(Queue(QueueTemplate(QueueDeny(condition: condition))));
    }

    [Theory]
    [InlineData("{ Bool: { aws:SecureTransport: true } }", "denies requests with TLS")]
    [InlineData("{ Bool: { aws:ViaAWSService: false } }", "another key")]
    [InlineData("{ Bool: { aws:SecureTransport: !Ref Insecure } }", "a value not known from the template")]
    [InlineData("{ StringEquals: { aws:SecureTransport: false } }", "another operator")]
    [InlineData("{ Null: { aws:SecureTransport: false } }", "the Null operator")]
    [InlineData("{ Bool: { aws:SecureTransport: false, aws:ViaAWSService: false } }", "a second key: only insecure requests not made through an AWS service")]
    [InlineData("{ StringEquals: { aws:PrincipalAccount: \"111122223333\" }, Bool: { aws:SecureTransport: false } }", "a second operator: only one account's insecure requests")]
    public void A_condition_that_does_not_match_requests_without_tls_does_not_protect_the_queue(string condition, string why)
    {
        var findings = Queue(QueueTemplate(QueueDeny(condition: condition)));

        Assert.True(findings.Count == 1 && findings[0].Message == QueueMessage, why);
    }

    [Fact]
    public void A_deny_without_resource_applies_to_the_queue_it_is_attached_to()
    {
        var yaml = QueueTemplate($"          - {{ Effect: Deny, Principal: \"*\", Action: \"sqs:*\", Condition: {Deny} }}");

        Assert.Empty(Queue(yaml));
    }

    [Fact]
    public void A_deny_with_only_not_resource_does_not_protect_the_queue()
    {
        var yaml = QueueTemplate($"          - {{ Effect: Deny, Principal: \"*\", Action: \"sqs:*\", NotResource: arn:aws:sqs:us-east-1:111122223333:other, Condition: {Deny} }}");

        Assert.Equal(QueueMessage, Assert.Single(Queue(yaml)).Message);
    }

    [Theory]
    [InlineData("!Sub \"${Queue.Arn}\"")]
    [InlineData("!Sub \"arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}\"")]
    [InlineData("!Sub \"arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:jobs\"")]
    [InlineData("\"arn:aws:sqs:*:*:jobs*\"")]
    [InlineData("\"arn:aws:sqs:*:*:j?bs\"")]
    [InlineData("[arn:aws:sqs:us-east-1:111122223333:other, !GetAtt Queue.Arn]")]
    public void Each_spelling_of_the_queue_arn_covers_the_queue(string resource)
    {
        Assert.Empty(Queue(QueueTemplate(QueueDeny(resource: resource))));
    }

    [Theory]
    [InlineData("arn:aws:sqs:us-east-1:111122223333:other")]
    [InlineData("\"arn:aws:sqs:*:*:jobs-dlq\"")]
    [InlineData("\"arn:aws:sqs:*:*:job\"")]
    [InlineData("!GetAtt Other.Arn")]
    public void A_resource_naming_another_queue_does_not_cover_the_queue(string resource)
    {
        var yaml = QueueTemplate(QueueDeny(resource: resource)).Replace(
            "  QueuePolicy:", "  Other: { Type: AWS::SQS::Queue, Properties: { QueueName: other } }\n  QueuePolicy:", StringComparison.Ordinal);

        Assert.Contains(Queue(yaml), f => f.LogicalId == "Queue" && f.Message.StartsWith("QueuePolicy has no Deny", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("!Ref Topic")]
    [InlineData("!Sub \"${Topic}\"")]
    [InlineData("!Sub \"${Topic.TopicArn}\"")]
    [InlineData("!Sub \"arn:aws:sns:${AWS::Region}:${AWS::AccountId}:${Topic.TopicName}\"")]
    [InlineData("!Sub \"arn:aws:sns:${AWS::Region}:${AWS::AccountId}:events\"")]
    public void Each_spelling_of_the_topic_arn_covers_the_topic(string resource)
    {
        Assert.Empty(Topic(TopicTemplate(TopicDeny(resource: resource))));
    }

    [Theory]
    [InlineData("[!Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/jobs\"]")]
    [InlineData("[!Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/other\", !Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/jobs\"]")]
    [InlineData("[!Join [\"/\", [\"https://sqs.us-east-1.amazonaws.com\", !Ref AWS::AccountId, jobs]]]")]
    public void A_queue_policy_naming_the_queue_url_protects_it(string queues)
    {
        Assert.Empty(Queue(QueueTemplate(QueueDeny(resource: "\"*\""), queues)));
    }

    [Theory]
    [InlineData("[!Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/otherjobs\"]")]
    [InlineData("[!Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/jobs-dlq\"]")]
    public void A_queue_policy_for_a_queue_whose_name_merely_ends_alike_is_not_the_queues(string queues)
    {
        var finding = Assert.Single(Queue(QueueTemplate(QueueDeny(resource: "\"*\""), queues)));

        Assert.Equal("no AWS::SQS::QueuePolicy in this template refers to Queue or names it, so nothing denies requests without TLS", finding.Message);
    }

    [Theory]
    [InlineData("[!Sub \"arn:aws:sns:${AWS::Region}:${AWS::AccountId}:events\"]")]
    [InlineData("[arn:aws:sns:us-east-1:111122223333:other, !Sub \"arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:events\"]")]
    public void A_topic_policy_naming_the_topic_arn_protects_it(string topics)
    {
        Assert.Empty(Topic(TopicTemplate(TopicDeny(resource: "\"*\""), topics)));
    }

    [Fact]
    public void A_topic_policy_for_a_topic_whose_name_merely_ends_alike_is_not_the_topics()
    {
        var finding = Assert.Single(Topic(TopicTemplate(TopicDeny(resource: "\"*\""), "[!Sub \"arn:aws:sns:${AWS::Region}:${AWS::AccountId}:myevents\"]")));

        Assert.Equal("no AWS::SNS::TopicPolicy in this template refers to Topic or names it, so nothing denies requests without TLS", finding.Message);
    }

    [Fact]
    public void An_unnamed_queue_is_found_by_reference_only()
    {
        var yaml = QueueTemplate(QueueDeny(resource: "\"*\""), "[!Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/\"]")
            .Replace("Properties: { QueueName: jobs }", "Properties: {}", StringComparison.Ordinal);

        Assert.Equal("no AWS::SQS::QueuePolicy in this template refers to Queue or names it, so nothing denies requests without TLS", Assert.Single(Queue(yaml)).Message);
    }

    [Fact]
    public void One_protecting_policy_among_several_protects_the_queue()
    {
        var yaml = QueueTemplate(QueueDeny(action: "sqs:SendMessage")) + """

              SecondPolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [!Ref Queue]
                  PolicyDocument:
                    Statement: [{ Effect: Deny, Principal: "*", Action: "sqs:*", Condition: { Bool: { aws:SecureTransport: false } } }]
            """;

        Assert.Empty(Queue(yaml));
    }

    [Fact]
    public void When_no_policy_protects_the_queue_the_finding_names_every_policy_of_it()
    {
        var yaml = QueueTemplate(QueueDeny(action: "sqs:SendMessage")) + """

              SecondPolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  Queues: [!Sub "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/jobs"]
                  PolicyDocument:
                    Statement: [{ Effect: Deny, Principal: "*", Action: "sqs:ReceiveMessage", Condition: { Bool: { aws:SecureTransport: false } } }]
            """;

        var finding = Assert.Single(Queue(yaml));

        Assert.Equal("QueuePolicy, SecondPolicy has no Deny statement for every principal on sqs:* with Condition Bool aws:SecureTransport = false whose Resource covers the queue ARN", finding.Message);
    }

    [Theory]
    [InlineData("[!Sub \"${Bucket.Arn}*\"]")]
    [InlineData("[\"arn:aws:s3:::shop*\"]")]
    public void A_bucket_pattern_ending_in_a_wildcard_covers_the_bucket_and_its_objects(string resources)
    {
        var yaml = """
            Resources:
              Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: shop } }
              Policy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref Bucket
                  PolicyDocument:
                    Statement: [{ Effect: Deny, Principal: "*", Action: "s3:*", Resource: RESOURCES, Condition: { Bool: { aws:SecureTransport: false } } }]
            """.Replace("RESOURCES", resources, StringComparison.Ordinal);

        Assert.Empty(TestTemplates.Check(yaml).Only("SB-S3-002"));
    }

    [Fact]
    public void Checked_as_a_set_of_stacks_the_missing_policy_message_says_the_stacks_checked()
    {
        var set = new TemplateSet();
        set.Add("Backend-Prod-Data", TemplateDocument.Parse("""
            Resources:
              Queue: { Type: AWS::SQS::Queue }
            """, "cdk.out/Backend-Prod-Data.template.yaml"));

        var finding = Assert.Single(PolicyEngine.Default.Check(set, "prod").Only("SB-SQS-002"));

        Assert.Equal("no AWS::SQS::QueuePolicy in the stacks checked refers to Queue or names it, so nothing denies requests without TLS", finding.Message);
    }
}
