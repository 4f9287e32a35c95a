using System.Text.Json.Nodes;
using ScalableBackend.Components.Messaging;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// A <see cref="RabbitMqBroker"/> with one user and nothing else optional, so the documented "Default: …" of
/// RabbitMqBrokerProps that only a broker with users shows (the user provisioner's subnets, its log group's retention
/// and key) is what lands in the template; synthesized once. MessagingDefaultsTests pins the rest.
/// </summary>
public sealed class MessagingMoreDefaultsFixture
{
    public Synthesized Result { get; }

    public MessagingMoreDefaultsFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        _ = new RabbitMqBroker(stack, "Rabbit", new RabbitMqBrokerProps { Vpc = network.Vpc, InstanceType = "mq.m5.large", Users = ["orders"] });
        Result = Synthesized.Of(stack);
    }
}

public sealed class MessagingMoreDefaultsTests(MessagingMoreDefaultsFixture fixture) : IClassFixture<MessagingMoreDefaultsFixture>
{
    private JsonObject ProvisionerLogs => fixture.Result.OfType("AWS::Logs::LogGroup")
        .Single(g => g.Id.StartsWith("RabbitUserProvisionerLogs", StringComparison.Ordinal)).Resource["Properties"]!.AsObject();

    [Fact]
    public void The_user_provisioner_runs_in_the_private_subnets_with_egress_by_default()
    {
        var function = fixture.Result.OfType("AWS::Lambda::Function").Single(f => f.Id.StartsWith("RabbitUserProvisioner", StringComparison.Ordinal)).Resource["Properties"]!;
        var subnets = function["VpcConfig"]!["SubnetIds"]!.AsArray().Select(s => (string)s!["Ref"]!).ToList();

        Assert.Equal(2, subnets.Count);
        Assert.All(subnets, s => Assert.StartsWith("NetworkVpcPrivateSubnet", s, StringComparison.Ordinal));
    }

    [Fact]
    public void The_user_provisioners_logs_are_kept_365_days_by_default() =>
        Assert.Equal(365, (int)ProvisionerLogs["RetentionInDays"]!);

    [Fact]
    public void The_user_provisioners_logs_are_encrypted_with_a_new_log_key_by_default()
    {
        var key = (string)ProvisionerLogs["KmsKeyId"]!["Fn::GetAtt"]![0]!;

        Assert.StartsWith("RabbitLogKey", key, StringComparison.Ordinal);
        Assert.Contains("logs.", fixture.Result.Json["Resources"]![key]!["Properties"]!["KeyPolicy"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
