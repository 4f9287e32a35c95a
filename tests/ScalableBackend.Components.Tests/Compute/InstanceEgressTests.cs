using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

/// <summary>A service behind a plain-HTTP load balancer, granted one store (a security group on 6379); synthesized once.</summary>
public sealed class InstanceEgressFixture
{
    public Synthesized Result { get; }

    public InstanceEgressFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc, AllowPlainHttp = true, DeletionProtection = false, AccessLogExpirationDays = 7,
        });
        var service = new WebService(stack, "ServiceApi", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            Routing = new ServiceRouting { Priority = 10, PathPatterns = ["/api/*"] },
            InstanceType = new InstanceType("t3.micro"),
            MinCapacity = 1,
            MaxCapacity = 2,
        });
        var store = new SecurityGroup(stack, "Store", new SecurityGroupProps { Vpc = network.Vpc, AllowAllOutbound = false });
        DataClientIngress.Admit(new DataClient(service.SecurityGroup, service.Role), "CacheIngress", store.SecurityGroupId, 6379, "Redis (TLS) from a granted user");
        Result = Synthesized.Of(stack);
    }
}

/// <summary>Issue 18.8: the app tier's instances send HTTPS anywhere and each granted store's port to that store only — not every port to 0.0.0.0/0.</summary>
public sealed class InstanceEgressTests(InstanceEgressFixture fixture) : IClassFixture<InstanceEgressFixture>
{
    private System.Text.Json.Nodes.JsonNode InstanceGroup =>
        fixture.Result.OfType("AWS::EC2::SecurityGroup").Single(g => ((string?)g.Resource["Properties"]!["GroupDescription"])!.Contains("ServiceApi", StringComparison.Ordinal)).Resource;

    [Fact]
    public void InstancesSendOnlyHttpsToAnyAddress()
    {
        var egress = Assert.Single(InstanceGroup["Properties"]!["SecurityGroupEgress"]!.AsArray())!;
        Assert.Equal("0.0.0.0/0", (string?)egress["CidrIp"]);
        Assert.Equal("tcp", (string?)egress["IpProtocol"]);
        Assert.Equal(443, (int)egress["FromPort"]!);
        Assert.Equal(443, (int)egress["ToPort"]!);
    }

    [Fact]
    public void AGrantedStoreIsReachableOnItsPortAndOnlyInItsGroup()
    {
        // The load balancer's own egress to the targets is its group's; the instances' group has exactly one.
        var (id, rule) = Assert.Single(fixture.Result.OfType("AWS::EC2::SecurityGroupEgress"), r => r.Id.StartsWith("ServiceApi", StringComparison.Ordinal));
        Assert.StartsWith("ServiceApiSecurityGroupCacheEgress", id);
        var properties = rule["Properties"]!;
        Assert.Equal(6379, (int)properties["FromPort"]!);
        Assert.Equal(6379, (int)properties["ToPort"]!);
        Assert.Contains("\"Store", properties["DestinationSecurityGroupId"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("ServiceApiSecurityGroup", properties["GroupId"]!.ToJsonString());
        Assert.Equal("Redis (TLS) to the granted store", (string?)properties["Description"]);
    }
}
