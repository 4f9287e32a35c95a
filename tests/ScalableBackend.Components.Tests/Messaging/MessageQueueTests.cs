using System.Text.Json.Nodes;
using Amazon.CDK;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Messaging;

public sealed class MessageQueueTests(QueueFixture fixture) : IClassFixture<QueueFixture>
{
    private JsonObject Queue(string prefix) => fixture.Result.Properties("AWS::SQS::Queue", prefix + "Queue");
    private JsonObject DeadLetter(string prefix) => fixture.Result.Properties("AWS::SQS::Queue", prefix + "DeadLetterQueue");

    [Fact]
    public void SendsMessagesThatKeepFailingToTheDeadLetterQueue()
    {
        var redrive = Queue("Orders")["RedrivePolicy"]!;
        Assert.Equal(3, (int)redrive["maxReceiveCount"]!);
        Assert.StartsWith("OrdersDeadLetterQueue", (string?)redrive["deadLetterTargetArn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(14 * 24 * 3600, (int)DeadLetter("Orders")["MessageRetentionPeriod"]!);
    }

    [Fact]
    public void EncryptsBothQueuesWithTheQueuesOwnKey()
    {
        var key = (string?)Queue("Orders")["KmsMasterKeyId"]!["Fn::GetAtt"]![0];
        Assert.StartsWith("OrdersKey", key);
        Assert.Equal(key, (string?)DeadLetter("Orders")["KmsMasterKeyId"]!["Fn::GetAtt"]![0]);
        Assert.NotEqual(key, (string?)Queue("Ledger")["KmsMasterKeyId"]!["Fn::GetAtt"]![0]);
        Assert.True((bool)fixture.Result.Properties("AWS::KMS::Key", "OrdersKey")["EnableKeyRotation"]!);
    }

    [Fact]
    public void DeniesEveryRequestWithoutTlsOnBothQueues()
    {
        var policies = fixture.Result.OfType("AWS::SQS::QueuePolicy").Where(p => p.Id.StartsWith("Orders", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.Contains(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(), s =>
            (string?)s!["Effect"] == "Deny" && s["Condition"]!["Bool"]!["aws:SecureTransport"]!.ToJsonString() == "\"false\""
            && s["Principal"]!["AWS"]!.ToJsonString() == "\"*\""));
    }

    [Fact]
    public void VisibilityTimeoutDefaultsToTheConsumerTimeoutWithLongPollingAndFourDaysRetention()
    {
        Assert.Equal(120, (int)Queue("Orders")["VisibilityTimeout"]!);
        Assert.Equal(20, (int)Queue("Orders")["ReceiveMessageWaitTimeSeconds"]!);
        Assert.Equal(4 * 24 * 3600, (int)Queue("Orders")["MessageRetentionPeriod"]!);
    }

    [Fact]
    public void FifoQueueHasContentBasedDeduplicationAndAFifoDeadLetterQueue()
    {
        Assert.True((bool)Queue("Ledger")["FifoQueue"]!);
        Assert.True((bool)Queue("Ledger")["ContentBasedDeduplication"]!);
        Assert.True((bool)DeadLetter("Ledger")["FifoQueue"]!);
        Assert.Equal(300, (int)Queue("Ledger")["VisibilityTimeout"]!);
        Assert.Equal(7 * 24 * 3600, (int)Queue("Ledger")["MessageRetentionPeriod"]!);
        Assert.Null(Queue("Orders")["FifoQueue"]);
    }

    [Fact]
    public void ProducersMayOnlySendAndUseTheKey()
    {
        var statements = fixture.Result.Statements("Producer");
        var sqs = statements.Single(s => s!.Actions().Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)))!;
        Assert.Equal(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], sqs.Actions().Order());
        Assert.StartsWith("OrdersQueue", (string?)sqs["Resource"]!["Fn::GetAtt"]![0]);
        var kms = statements.Single(s => s!.Actions().Any(a => a.StartsWith("kms:", StringComparison.Ordinal)))!;
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey"], kms.Actions().Order());
        Assert.StartsWith("OrdersKey", (string?)kms["Resource"]!["Fn::GetAtt"]![0]);
    }

    [Fact]
    public void ConsumersMayOnlyReceiveDeleteChangeVisibilityAndDecrypt()
    {
        var statements = fixture.Result.Statements("Consumer");
        var sqs = statements.Single(s => s!.Actions().Any(a => a.StartsWith("sqs:", StringComparison.Ordinal)))!;
        Assert.Equal(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], sqs.Actions().Order());
        var kms = statements.Single(s => s!.Actions().Any(a => a.StartsWith("kms:", StringComparison.Ordinal)))!;
        Assert.Equal(["kms:Decrypt"], kms.Actions());
        Assert.StartsWith("OrdersKey", (string?)kms["Resource"]!["Fn::GetAtt"]![0]);
    }

    [Theory]
    [InlineData("VisibleAlarm", "ApproximateNumberOfMessagesVisible", "OrdersQueue")]
    [InlineData("AgeAlarm", "ApproximateAgeOfOldestMessage", "OrdersQueue")]
    [InlineData("DeadLetterAlarm", "ApproximateNumberOfMessagesVisible", "OrdersDeadLetterQueue")]
    public void ExposesTheMetricsMonitoringNeeds(string alarm, string metric, string queue)
    {
        var props = fixture.Result.Properties("AWS::CloudWatch::Alarm", alarm);
        Assert.Equal("AWS/SQS", (string?)props["Namespace"]);
        Assert.Equal(metric, (string?)props["MetricName"]);
        Assert.Equal("Maximum", (string?)props["Statistic"]);
        Assert.StartsWith(queue, (string?)props["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]);
    }
}

/// <summary>The queue's validation messages; no synthesis.</summary>
public sealed class MessageQueueValidationTests
{
    public static TheoryData<MessageQueueSettings, string> Rows => new()
    {
        { new MessageQueueSettings { RetentionPeriod = Duration.Seconds(30) }, "RetentionPeriod = 30s must be between 60s and 14d" },
        { new MessageQueueSettings { DeadLetterRetentionPeriod = Duration.Days(15) }, "DeadLetterRetentionPeriod = 1296000s must be between 60s and 14d" },
        { new MessageQueueSettings { RetentionPeriod = Duration.Days(7), DeadLetterRetentionPeriod = Duration.Days(3) }, "DeadLetterRetentionPeriod = 259200s must be at least retentionPeriod (604800s): a dead-lettered message keeps its original enqueue time" },
        { new MessageQueueSettings { ConsumerTimeout = Duration.Hours(13) }, "ConsumerTimeout = 46800s must be greater than 0s and at most 12h" },
        { new MessageQueueSettings { VisibilityTimeout = Duration.Hours(13), ConsumerTimeout = Duration.Hours(1) }, "VisibilityTimeout = 46800s must be at most 12h" },
        { new MessageQueueSettings { VisibilityTimeout = Duration.Seconds(60), ConsumerTimeout = Duration.Minutes(5) }, "VisibilityTimeout = 60s must be at least consumerTimeout (300s), or a message becomes visible again while it is still being processed" },
        { new MessageQueueSettings { MaxReceiveCount = 0 }, "MaxReceiveCount = 0 must be between 1 and 1000" },
        { new MessageQueueSettings { ContentBasedDeduplication = true }, "ContentBasedDeduplication = True requires fifo: true" },
        { new MessageQueueSettings { ReceiveWaitTime = Duration.Seconds(21) }, "ReceiveWaitTime = 21s must be between 0s and 20s" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void RejectsOutOfRangeSettings(MessageQueueSettings settings, string expected) =>
        Assert.Equal(expected, Assert.Throws<PropsValidationException>(() => MessageQueue.Validate(settings)).Detail);

    [Fact]
    public void AcceptsTheDefaults() => MessageQueue.Validate(new MessageQueueSettings());

    [Fact]
    public void ValidatesBeforeCreatingAnything()
    {
        var stack = TestStacks.Empty();
        Assert.Throws<PropsValidationException>(() => new MessageQueue(stack, "Bad", new MessageQueueProps { MaxReceiveCount = 0 }));
        Assert.Null(stack.Node.TryFindChild("Bad")?.Node.TryFindChild("Key"));
    }
}
