namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-SNS-003: who publishes to a topic, and which statements allow or deny them.</summary>
public sealed class TopicPublisherRuleTests
{
    private const string Rule = "SB-SNS-003";

    private const string ConditionalDeny =
        "        - { Sid: DenyPublishWithoutTls, Effect: Deny, Principal: { AWS: \"*\" }, Action: sns:Publish, Resource: !Ref Alarms, Condition: { Bool: { aws:SecureTransport: false } } }";

    private static IReadOnlyList<Finding> Check(string yaml) => TestTemplates.Check(yaml).Only(Rule);

    private static string WithAllow(string principal, string action = "sns:Publish") =>
        RuleCases.AlarmTopic($"{ConditionalDeny}\n        - {{ Effect: Allow, Principal: {principal}, Action: {action}, Resource: !Ref Alarms }}");

    [Fact]
    public void A_policy_with_only_a_conditional_deny_refuses_the_alarms_and_says_why()
    {
        var finding = Assert.Single(Check(RuleCases.AlarmTopic(ConditionalDeny)));

        Assert.Equal("AlarmsPolicy", finding.LogicalId);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("Errors publish to Alarms as cloudwatch.amazonaws.com, but no Allow statement lets cloudwatch.amazonaws.com call sns:Publish (the policy replaces SNS's default policy)", finding.Message);
    }

    [Theory]
    [InlineData("{ Service: cloudwatch.amazonaws.com }", "sns:Publish")]
    [InlineData("{ Service: [events.amazonaws.com, cloudwatch.amazonaws.com] }", "sns:Publish")]
    [InlineData("\"*\"", "sns:Publish")]
    [InlineData("{ AWS: \"*\" }", "sns:Publish")]
    [InlineData("{ Service: cloudwatch.amazonaws.com }", "\"sns:*\"")]
    [InlineData("{ Service: cloudwatch.amazonaws.com }", "\"*\"")]
    [InlineData("{ Service: cloudwatch.amazonaws.com }", "[sns:Subscribe, SNS:publish]")]
    public void An_allow_covering_the_service_and_publish_passes(string principal, string action)
    {
        Assert.Empty(Check(WithAllow(principal, action)));
    }

    [Theory]
    [InlineData("{ Service: events.amazonaws.com }", "sns:Publish", "another service")]
    [InlineData("{ AWS: arn:aws:iam::111122223333:root }", "sns:Publish", "an account")]
    [InlineData("{ Service: cloudwatch.amazonaws.com }", "sns:Subscribe", "another action")]
    [InlineData("{ Service: cloudwatch.amazonaws.com }", "!Ref Action", "an unknown action")]
    public void An_allow_for_someone_else_or_something_else_does_not_count(string principal, string action, string why)
    {
        Assert.True(Check(WithAllow(principal, action)).Count == 1, why);
    }

    [Fact]
    public void A_deny_statement_is_not_an_allow()
    {
        var yaml = RuleCases.AlarmTopic("        - { Effect: Deny, Principal: { Service: cloudwatch.amazonaws.com }, Action: sns:Publish, Condition: { Bool: { aws:SecureTransport: false } } }");

        Assert.Single(Check(yaml));
    }

    [Theory]
    [InlineData("{ Sid: NoOne, Effect: Deny, Principal: \"*\", Action: \"sns:*\" }", "statement NoOne denies it sns:Publish without a condition")]
    [InlineData("{ Effect: Deny, Principal: { Service: cloudwatch.amazonaws.com }, Action: sns:Publish }", "statement 1 denies it sns:Publish without a condition")]
    public void An_unconditional_deny_of_publish_to_the_service_fails_even_beside_an_allow(string deny, string expected)
    {
        var yaml = RuleCases.AlarmTopic($"        - {{ Effect: Allow, Principal: {{ Service: cloudwatch.amazonaws.com }}, Action: sns:Publish }}\n        - {deny}");

        Assert.EndsWith(expected, Assert.Single(Check(yaml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unconditional_deny_of_other_actions_or_principals_is_not_a_deny_of_the_publisher()
    {
        var yaml = RuleCases.AlarmTopic(
            "        - { Effect: Allow, Principal: { Service: cloudwatch.amazonaws.com }, Action: sns:Publish }\n" +
            "        - { Effect: Deny, Principal: \"*\", Action: sns:DeleteTopic }\n" +
            "        - { Effect: Deny, Principal: { Service: events.amazonaws.com }, Action: sns:Publish }\n" +
            "        - { Effect: Deny, Principal: { AWS: arn:aws:iam::111122223333:root }, Action: sns:Publish }");

        Assert.Empty(Check(yaml));
    }

    [Fact]
    public void A_topic_nobody_publishes_to_as_a_service_passes_with_only_a_deny()
    {
        var yaml = RuleCases.AlarmTopic(ConditionalDeny).Replace("AlarmActions: [!Ref Alarms]", "AlarmActions: [arn:aws:sns:us-east-1:111122223333:elsewhere]", StringComparison.Ordinal);

        Assert.Empty(Check(yaml));
    }

    [Fact]
    public void An_unknown_statement_list_passes()
    {
        var yaml = RuleCases.AlarmTopic("          !Ref Statements").Replace("Statement:\n          !Ref", "Statement: !Ref", StringComparison.Ordinal);

        Assert.Empty(Check(yaml));
    }

    [Theory]
    [InlineData("AlarmActions", "OKActions", "AWS::CloudWatch::Alarm")]
    [InlineData("AlarmActions", "InsufficientDataActions", "AWS::CloudWatch::Alarm")]
    [InlineData("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm", "AlarmActions")]
    public void Every_alarm_action_list_and_composite_alarms_publish_as_cloudwatch(string from, string to, string _)
    {
        var yaml = RuleCases.AlarmTopic(ConditionalDeny).Replace(from, to, StringComparison.Ordinal);

        Assert.Contains("as cloudwatch.amazonaws.com", Assert.Single(Check(yaml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Composite_alarm_ok_and_insufficient_data_actions_publish_as_cloudwatch()
    {
        foreach (var list in new[] { "OKActions", "InsufficientDataActions" })
        {
            var yaml = RuleCases.AlarmTopic(ConditionalDeny)
                .Replace("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm", StringComparison.Ordinal)
                .Replace("AlarmActions", list, StringComparison.Ordinal);

            Assert.Single(Check(yaml));
        }
    }

    [Fact]
    public void Event_rules_and_bucket_notifications_publish_as_their_services_one_message_per_service()
    {
        var yaml = RuleCases.AlarmTopic(ConditionalDeny) + """

              Schedule:
                Type: AWS::Events::Rule
                Properties: { ScheduleExpression: rate(1 hour), Targets: [{ Id: topic, Arn: !Ref Alarms }] }
              Changes:
                Type: AWS::Events::Rule
                Properties: { EventPattern: { source: [aws.ec2] }, Targets: [{ Id: topic, Arn: !Ref Alarms }] }
              Uploads:
                Type: AWS::S3::Bucket
                Properties:
                  NotificationConfiguration: { TopicConfigurations: [{ Event: "s3:ObjectCreated:*", Topic: !Ref Alarms }] }
            """;

        var messages = Check(yaml).Select(f => f.Message).ToList();

        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.StartsWith("Schedule, Changes publish to Alarms as events.amazonaws.com", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Uploads publish to Alarms as s3.amazonaws.com", StringComparison.Ordinal));
    }

    [Fact]
    public void Three_publishers_are_all_named()
    {
        var alarm = RuleCases.AlarmTopic(ConditionalDeny);
        var block = alarm[alarm.IndexOf("  Errors:", StringComparison.Ordinal)..];
        var yaml = alarm + string.Concat(new[] { "Latency", "Saturation" }.Select(n => "\n" + block.Replace("Errors", n, StringComparison.Ordinal)));

        Assert.StartsWith("Errors, Latency, Saturation publish to Alarms as", Assert.Single(Check(yaml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_three_publishers_are_counted()
    {
        var alarm = RuleCases.AlarmTopic(ConditionalDeny);
        var block = alarm[alarm.IndexOf("  Errors:", StringComparison.Ordinal)..];
        var yaml = alarm + string.Concat(new[] { "Latency", "Saturation", "Traffic" }.Select(n => "\n" + block.Replace("Errors", n, StringComparison.Ordinal)));

        Assert.StartsWith("Errors, Latency, Saturation and 1 more publish to Alarms", Assert.Single(Check(yaml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alarm_in_another_stack_is_a_publisher_named_with_its_stack()
    {
        var platform = RuleCases.AlarmTopic(ConditionalDeny).Replace("AlarmActions: [!Ref Alarms]", "AlarmActions: []", StringComparison.Ordinal) + """

            Outputs:
              AlarmTopicArn:
                Value: !Ref Alarms
                Export: { Name: Backend-Prod-Platform:AlarmTopicArn }
            """;
        const string Service = """
            Resources:
              Latency:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  MetricName: Latency
                  Namespace: App
                  Statistic: Average
                  Period: 60
                  EvaluationPeriods: 1
                  Threshold: 1
                  ComparisonOperator: GreaterThanThreshold
                  AlarmActions: [!ImportValue Backend-Prod-Platform:AlarmTopicArn]
            """;
        var set = new TemplateSet()
            .Add("Backend-Prod-Platform", TemplateDocument.Parse(platform, "platform.yaml"))
            .Add("Backend-Prod-Service-Api", TemplateDocument.Parse(Service, "service.yaml"));

        var finding = Assert.Single(PolicyEngine.Default.Check(set).Only(Rule));

        Assert.StartsWith("Backend-Prod-Service-Api/Latency publish to Alarms", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_for_two_topics_judges_each()
    {
        var yaml = RuleCases.AlarmTopic(ConditionalDeny)
            .Replace("Topics: [!Ref Alarms]", "Topics: [!Ref Alarms, !Ref Other, !Ref Other, arn:aws:sns:us-east-1:1:literal]", StringComparison.Ordinal)
            .Replace("AlarmActions: [!Ref Alarms]", "AlarmActions: [!Ref Alarms, !Ref Other]", StringComparison.Ordinal)
            + "\n  Other: { Type: AWS::SNS::Topic, Properties: { KmsMasterKeyId: alias/aws/sns } }";

        Assert.Equal(["Errors publish to Alarms", "Errors publish to Other"], Check(yaml).Select(f => f.Message[..f.Message.IndexOf(" as ", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
    }
}
