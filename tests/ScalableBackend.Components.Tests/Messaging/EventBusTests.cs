using System.Text.Json.Nodes;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Messaging;

public sealed class EventBusTests(EventBusFixture fixture) : IClassFixture<EventBusFixture>
{
    private IEnumerable<JsonObject> Subscriptions => fixture.Result.OfType("AWS::SNS::Subscription").Select(s => s.Resource["Properties"]!.AsObject());

    private static string TopicOf(JsonObject subscription) => (string)subscription["TopicArn"]!["Ref"]!;

    [Fact]
    public void EncryptsEveryTopicWithTheBusKey()
    {
        var topics = fixture.Result.OfType("AWS::SNS::Topic").ToList();
        Assert.Equal(2, topics.Count);
        Assert.All(topics, t => Assert.StartsWith("EventsKey", (string?)t.Resource["Properties"]!["KmsMasterKeyId"]!["Fn::GetAtt"]![0]));
    }

    [Fact]
    public void EveryTopicDeniesRequestsWithoutTls()
    {
        var policies = fixture.Result.OfType("AWS::SNS::TopicPolicy").ToList();
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.Contains(p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(), s =>
            (string?)s!["Effect"] == "Deny" && s["Condition"]!["Bool"]!["aws:SecureTransport"]!.ToJsonString() == "\"false\""));
    }

    [Fact]
    public void FansEachEventOutToTheQueuesThatReactToItWithRawDelivery()
    {
        var placed = Subscriptions.Where(s => TopicOf(s).StartsWith("EventsTopicOrderPlaced", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, placed.Count);
        Assert.All(placed, s => Assert.Equal("sqs", (string?)s["Protocol"]));
        Assert.All(placed, s => Assert.True((bool)s["RawMessageDelivery"]!));
        var endpoints = placed.Select(s => (string)s["Endpoint"]!["Fn::GetAtt"]![0]!).Order().ToList();
        Assert.StartsWith("BillingQueue", endpoints[0]);
        Assert.StartsWith("ShippingQueue", endpoints[1]);
        Assert.Single(Subscriptions, s => TopicOf(s).StartsWith("EventsTopicOrderCancelled", StringComparison.Ordinal));
    }

    [Fact]
    public void QueuesAdmitSnsOnlyFromTheirOwnTopics()
    {
        var policy = fixture.Result.OfType("AWS::SQS::QueuePolicy")
            .Single(p => p.Id.StartsWith("ShippingQueue", StringComparison.Ordinal) && !p.Id.Contains("DeadLetter")).Resource;
        var allow = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Where(s => (string?)s!["Effect"] == "Allow").ToList();
        var statement = Assert.Single(allow)!;
        Assert.Equal("sqs:SendMessage", (string?)statement["Action"]);
        Assert.Equal("sns.amazonaws.com", (string?)statement["Principal"]!["Service"]);
        Assert.StartsWith("EventsTopicOrderPlaced", (string?)statement["Condition"]!["ArnEquals"]!["aws:SourceArn"]!["Ref"]);
    }

    [Fact]
    public void QueueKeysLetSnsDecryptOnlyForTheirTopics()
    {
        // Confused deputy: without aws:SourceArn any topic (of any account) could have SNS use the queue's key.
        var key = fixture.Result.OfType("AWS::KMS::Key").Single(k => k.Id.StartsWith("ShippingKey", StringComparison.Ordinal)).Resource;
        var sns = Assert.Single(key["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray(), s => (string?)s!["Principal"]?["Service"] == "sns.amazonaws.com")!;
        Assert.StartsWith("EventsTopicOrderPlaced", (string?)sns["Condition"]!["ArnEquals"]!["aws:SourceArn"]!["Ref"]);
    }

    [Fact]
    public void PublishersMayPublishOnlyToTheirTopic()
    {
        var statements = fixture.Result.Statements("Publisher");
        var publish = statements.Single(s => s!.Actions().Contains("sns:Publish"))!;
        Assert.Equal(["sns:Publish"], publish.Actions());
        Assert.StartsWith("EventsTopicOrderPlaced", (string?)publish["Resource"]!["Ref"]);
        Assert.DoesNotContain(statements, s => s!["Resource"]!.ToJsonString().Contains("OrderCancelled"));
    }
}

/// <summary>The bus's validation messages; the queues exist but nothing is synthesized.</summary>
public sealed class EventBusValidationTests
{
    [Fact]
    public void RejectsAMalformedTopicKey()
    {
        var stack = TestStacks.Empty();
        var queue = new MessageQueue(stack, "Billing");
        var e = Assert.Throws<PropsValidationException>(() => EventBus.Validate(new EventBusProps { Topics = new Dictionary<string, EventTopic> { ["OrderPlaced"] = new() { Subscribers = [queue] } } }));
        Assert.Equal("Topics = OrderPlaced keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)", e.Detail);
    }

    [Fact]
    public void RejectsABusWithoutTopics() =>
        Assert.Equal("Topics must declare at least one topic",
            Assert.Throws<PropsValidationException>(() => EventBus.Validate(new EventBusProps { Topics = new Dictionary<string, EventTopic>() })).Detail);

    [Fact]
    public void RejectsATopicWithoutSubscribers() =>
        Assert.Equal("Topics.order-placed.Subscribers must list at least one queue",
            Assert.Throws<PropsValidationException>(() => EventBus.Validate(new EventBusProps { Topics = new Dictionary<string, EventTopic> { ["order-placed"] = new() { Subscribers = [] } } })).Detail);

    [Fact]
    public void RejectsAFifoSubscriber()
    {
        var stack = TestStacks.Empty();
        var ledger = new MessageQueue(stack, "Ledger", new MessageQueueProps { Fifo = true });
        var e = Assert.Throws<PropsValidationException>(() => EventBus.Validate(new EventBusProps { Topics = new Dictionary<string, EventTopic> { ["order-placed"] = new() { Subscribers = [ledger] } } }));
        Assert.Equal("Topics.order-placed.Subscribers[0] = Ledger is a FIFO queue; a standard topic delivers only to standard queues", e.Detail);
    }

    [Fact]
    public void RejectsASubscriberListedTwice()
    {
        var stack = TestStacks.Empty();
        var queue = new MessageQueue(stack, "Billing");
        var e = Assert.Throws<PropsValidationException>(() => EventBus.Validate(new EventBusProps { Topics = new Dictionary<string, EventTopic> { ["order-placed"] = new() { Subscribers = [queue, queue] } } }));
        Assert.Equal("Topics.order-placed.Subscribers[1] = Billing is listed twice", e.Detail);
    }
}
