using System.Text.Json.Nodes;
using ScalableBackend.Components.Networking;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// A <see cref="Network"/> built from NetworkProps with only its zones set (three, so "one per zone" is visible), so every
/// documented "Default: …" of NetworkSettings and NetworkProps is what lands in the template; synthesized once.
/// </summary>
public sealed class NetworkingDefaultsFixture
{
    public Synthesized Result { get; }

    public NetworkingDefaultsFixture()
    {
        var stack = TestStacks.Empty();
        _ = new Network(stack, "Network", new NetworkProps { AvailabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"] });
        Result = Synthesized.Of(stack);
    }
}

public sealed class NetworkingDefaultsTests(NetworkingDefaultsFixture fixture) : IClassFixture<NetworkingDefaultsFixture>
{
    private IEnumerable<JsonObject> Subnets(string name) => fixture.Result.OfType("AWS::EC2::Subnet")
        .Where(s => s.Id.Contains(name + "Subnet", StringComparison.Ordinal))
        .Select(s => s.Resource["Properties"]!.AsObject());

    [Fact]
    public void The_vpc_is_10_0_0_0_16_by_default() =>
        Assert.Equal("10.0.0.0/16", (string?)fixture.Result.Single("AWS::EC2::VPC")["CidrBlock"]);

    [Fact]
    public void There_is_one_nat_gateway_per_zone_by_default() =>
        Assert.Equal(3, fixture.Result.OfType("AWS::EC2::NatGateway").Count());

    [Theory]
    [InlineData("Public", "/24")]
    [InlineData("Private", "/20")]
    [InlineData("Isolated", "/24")]
    public void Subnet_prefix_lengths_are_the_documented_defaults(string name, string mask)
    {
        var subnets = Subnets(name).ToList();

        Assert.Equal(3, subnets.Count);
        Assert.All(subnets, s => Assert.EndsWith(mask, (string?)s["CidrBlock"], StringComparison.Ordinal));
    }

    [Fact]
    public void There_are_no_interface_endpoints_by_default() =>
        Assert.DoesNotContain(fixture.Result.OfType("AWS::EC2::VPCEndpoint"), e => (string?)e.Resource["Properties"]!["VpcEndpointType"] == "Interface");

    [Fact]
    public void Flow_logs_are_kept_one_year_by_default() =>
        Assert.Equal(365, (int)fixture.Result.Single("AWS::Logs::LogGroup")["RetentionInDays"]!);

    [Fact]
    public void Flow_logs_are_encrypted_with_a_new_rotating_key_by_default()
    {
        var key = fixture.Result.OfType("AWS::KMS::Key").Single();
        var group = fixture.Result.Single("AWS::Logs::LogGroup");

        Assert.True((bool)key.Resource["Properties"]!["EnableKeyRotation"]!);
        Assert.Equal(key.Id, (string?)group["KmsKeyId"]!["Fn::GetAtt"]![0]);
    }
}
