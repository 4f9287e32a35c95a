namespace ScalableBackend.Stacks.Tests;

/// <summary>The size guard's messages; no synthesis.</summary>
public sealed class StackSizeGuardTests
{
    private static readonly (string, int)[] Contributors = [("Database", 300), ("Queues", 120), ("Cache", 40), ("Events", 30), ("Kafka", 12), ("RabbitMq", 9)];

    [Fact]
    public void BelowEightyPercentThereIsNothingToSay()
    {
        Assert.Null(StackSizeGuard.Warning("Backend-Prod-Data", 399, Contributors));
        Assert.Null(StackSizeGuard.Error("Backend-Prod-Data", 399, Contributors));
    }

    [Fact]
    public void FromEightyPercentAWarningNamesTheStackItsShareAndTheBiggestContributors() =>
        Assert.Equal("Backend-Prod-Data holds 400 resources, 80% of CloudFormation's 500; the biggest contributors: Database (300), Queues (120), Cache (40), Events (30), Kafka (12)",
            StackSizeGuard.Warning("Backend-Prod-Data", 400, Contributors));

    [Fact]
    public void AtTheLimitItIsStillAWarningAboveItAnError()
    {
        Assert.NotNull(StackSizeGuard.Warning("S", 500, Contributors));
        Assert.Null(StackSizeGuard.Error("S", 500, Contributors));
        Assert.Null(StackSizeGuard.Warning("S", 501, Contributors));
        Assert.StartsWith("S holds 501 resources, more than CloudFormation's 500; the biggest contributors: Database (300), Queues (120), Cache (40), Events (30), Kafka (12). ",
            StackSizeGuard.Error("S", 501, Contributors));
    }
}

/// <summary>The guard in a real (small) stack: above the limit, synthesis stops with the guard's message.</summary>
public sealed class StackSizeGuardSynthesisTests
{
    [Fact]
    public void SynthesisOfAStackAboveTheLimitFailsNamingTheStackTheCountAndTheContributors()
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = Directory.CreateTempSubdirectory("sb-guard-").FullName });
        var stack = new Amazon.CDK.Stack(app, "Big");
        StackSizeGuard.Apply(stack);
        var handles = new Constructs.Construct(stack, "Handles");
        for (var i = 0; i < 501; i++)
            _ = new Amazon.CDK.CfnWaitConditionHandle(handles, $"Handle{i}");
        _ = new Amazon.CDK.CfnWaitConditionHandle(stack, "Lonely");
        var e = Assert.ThrowsAny<Exception>(() => app.Synth());
        Assert.Contains("Big holds 502 resources, more than CloudFormation's 500; the biggest contributors: Handles (501), Lonely (1).", e.Message);
    }
}
