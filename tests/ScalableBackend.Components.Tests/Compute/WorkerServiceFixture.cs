using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

/// <summary>A worker group consuming one queue, with a nightly batch window, next to a queue it must not touch; synthesized once.</summary>
public sealed class WorkerServiceFixture
{
    public Synthesized Result { get; }

    public WorkerServiceFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var jobs = new MessageQueue(stack, "Jobs", new MessageQueueProps { ConsumerTimeout = Duration.Minutes(2) });
        _ = new MessageQueue(stack, "Other");
        _ = new WorkerService(stack, "WorkerReports", new WorkerServiceProps
        {
            Vpc = network.Vpc,
            Queue = jobs.Queue,
            InstanceType = new InstanceType("t3.small"),
            MinCapacity = 2,
            MaxCapacity = 10,
            AcceptableLatency = Duration.Minutes(5),
            AverageProcessingTime = Duration.Seconds(30),
            BatchWindows = new Dictionary<string, BatchWindow>
            {
                ["nightly"] = new() { Start = "0 1 * * *", End = "0 5 * * *", MinCapacity = 8, TimeZone = "Europe/Berlin" },
            },
        });
        Result = Synthesized.Of(stack);
    }
}
