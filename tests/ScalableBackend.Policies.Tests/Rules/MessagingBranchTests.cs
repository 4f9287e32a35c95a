namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-SQS-003: which references make a queue a dead-letter queue; SB-SNS-003: composite alarms publish as CloudWatch too.</summary>
public sealed class MessagingBranchTests
{
    private const string NoDlq = "no RedrivePolicy, and no other resource uses this queue as a dead-letter queue";

    private static IReadOnlyList<Finding> Dlq(string other) =>
        TestTemplates.Check($$"""
            Resources:
              Dlq: { Type: AWS::SQS::Queue }
            {{other}}
            """).Only("SB-SQS-003").Where(f => f.LogicalId == "Dlq").ToList();

    [Fact]
    public void A_queue_declaring_a_redrive_allow_policy_is_a_dead_letter_queue()
    {
        Assert.Empty(TestTemplates.Check("""
            Resources:
              Dlq: { Type: AWS::SQS::Queue, Properties: { RedriveAllowPolicy: { redrivePermission: allowAll } } }
            """).Only("SB-SQS-003"));
    }

    [Theory]
    [InlineData("  Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: nodejs20.x, Handler: i.h, Role: r, Code: { ZipFile: x }, DeadLetterConfig: { TargetArn: !GetAtt Dlq.Arn } } }")]
    [InlineData("  Mapping: { Type: AWS::Lambda::EventSourceMapping, Properties: { FunctionName: f, EventSourceArn: arn:aws:kinesis:us-east-1:1:stream/s, DestinationConfig: { OnFailure: { Destination: !GetAtt Dlq.Arn } } } }")]
    [InlineData("  Sub: { Type: AWS::SNS::Subscription, Properties: { TopicArn: t, Protocol: sqs, Endpoint: e, RedrivePolicy: !Sub \"${Dlq.Arn}\" } }")]
    public void A_queue_used_as_a_dead_letter_on_failure_or_redrive_destination_needs_no_dead_letter_queue_of_its_own(string other)
    {
        Assert.Empty(Dlq(other));
    }

    [Fact]
    public void A_queue_referred_to_for_anything_else_still_needs_a_dead_letter_queue()
    {
        var finding = Assert.Single(Dlq("  Fn: { Type: AWS::Lambda::Function, Properties: { Runtime: nodejs20.x, Handler: i.h, Role: r, Code: { ZipFile: x }, Environment: { Variables: { QUEUE: !Ref Dlq } } } }"));

        Assert.Equal(NoDlq, finding.Message);
    }

    [Theory]
    [InlineData("AlarmActions")]
    [InlineData("OKActions")]
    [InlineData("InsufficientDataActions")]
    public void A_composite_alarm_publishing_to_a_deny_only_topic_is_refused(string property)
    {
        var yaml = $$"""
            Resources:
              Alarms: { Type: AWS::SNS::Topic, Properties: { KmsMasterKeyId: alias/aws/sns } }
              AlarmsPolicy:
                Type: AWS::SNS::TopicPolicy
                Properties:
                  Topics: [!Ref Alarms]
                  PolicyDocument:
                    Statement:
                      - { Effect: Deny, Principal: "*", Action: sns:Publish, Resource: !Ref Alarms, Condition: { Bool: { aws:SecureTransport: false } } }
              Health:
                Type: AWS::CloudWatch::CompositeAlarm
                Properties: { AlarmName: health, AlarmRule: "ALARM(a)", {{property}}: [!Ref Alarms] }
            """;

        var finding = Assert.Single(TestTemplates.Check(yaml).Only("SB-SNS-003"));

        Assert.Equal("AlarmsPolicy", finding.LogicalId);
        Assert.Equal("Health publish to Alarms as cloudwatch.amazonaws.com, but no Allow statement lets cloudwatch.amazonaws.com call sns:Publish (the policy replaces SNS's default policy)", finding.Message);
    }
}
