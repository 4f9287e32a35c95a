using Amazon.CDK.AWS.AutoScaling;
using Monitoring = ScalableBackend.Components.Observability.Monitoring;
using Amazon.CDK.AWS.SNS;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Observability;

/// <summary>Monitoring in a stack that holds only some alarms: the topic given (imported), no dashboard; synthesized once.</summary>
public sealed class MonitoringWithGivenTopicFixture
{
    public Synthesized Stack { get; }

    public MonitoringWithGivenTopicFixture()
    {
        var stack = TestStacks.Empty();
        var topic = Topic.FromTopicArn(stack, "AlarmTopic", "arn:aws:sns:us-east-1:123456789012:alarms");
        var monitoring = new Monitoring(stack, "Monitoring", new MonitoringProps { AlarmTopic = topic, EnableDashboard = false });
        monitoring.MonitorWorker("jobs", AutoScalingGroup.FromAutoScalingGroupName(stack, "Group", "jobs-group"));
        Stack = Synthesized.Of(stack);
    }
}

public sealed class MonitoringWithGivenTopicTests(MonitoringWithGivenTopicFixture fixture) : IClassFixture<MonitoringWithGivenTopicFixture>
{
    [Fact]
    public void CreatesNoTopicKeyOrDashboard()
    {
        Assert.Empty(fixture.Stack.OfType("AWS::SNS::Topic"));
        Assert.Empty(fixture.Stack.OfType("AWS::KMS::Key"));
        Assert.Empty(fixture.Stack.OfType("AWS::CloudWatch::Dashboard"));
    }

    [Fact]
    public void TheAlarmsNotifyTheGivenTopic()
    {
        var alarm = fixture.Stack.Single("AWS::CloudWatch::Alarm");
        Assert.Equal("[\"arn:aws:sns:us-east-1:123456789012:alarms\"]", alarm["AlarmActions"]!.ToJsonString());
        Assert.Equal("[\"arn:aws:sns:us-east-1:123456789012:alarms\"]", alarm["OKActions"]!.ToJsonString());
    }

    [Fact]
    public void SubscribersBelongToTheTopicsOwner()
    {
        var stack = TestStacks.Empty();
        var topic = Topic.FromTopicArn(stack, "AlarmTopic", "arn:aws:sns:us-east-1:123456789012:alarms");
        var e = Assert.Throws<PropsValidationException>(() =>
            new Monitoring(stack, "Monitoring", new MonitoringProps { AlarmTopic = topic, AlarmEmails = ["oncall@example.com"] }));
        Assert.Contains("alarmEmails, alarmHttpsEndpoints and alarmHttpsEndpointSecrets must be empty", e.Message);
    }
}
