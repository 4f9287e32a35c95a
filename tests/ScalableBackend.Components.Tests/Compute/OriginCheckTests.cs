using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

/// <summary>A load balancer that serves only requests through the API (an origin secret after one rotation) and one service; synthesized once.</summary>
public sealed class OriginCheckedFixture
{
    public Synthesized Result { get; }

    public OriginCheck Check { get; } = OriginCheck.ForSecret("backend/test/origin-verify", 2);

    public OriginCheckedFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc,
            Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
            OriginCheck = Check,
        });
        _ = new WebService(stack, "ServiceOrders", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            OriginCheck = lb.OriginCheck,
            Routing = new ServiceRouting { Priority = 10, PathPatterns = ["/orders/*"], HostHeaders = ["origin.example.com"] },
            InstanceType = new InstanceType("t3.micro"),
            MinCapacity = 1,
            MaxCapacity = 2,
        });
        Result = Synthesized.Of(stack);
    }
}

public sealed class OriginCheckTests(OriginCheckedFixture fixture) : IClassFixture<OriginCheckedFixture>
{
    [Fact]
    public void ARequestThatMatchesNoRuleIsForbiddenNotForwarded()
    {
        var https = fixture.Result.OfType("AWS::ElasticLoadBalancingV2::Listener").Single(l => (string?)l.Resource["Properties"]!["Protocol"] == "HTTPS");
        var action = Assert.Single(https.Resource["Properties"]!["DefaultActions"]!.AsArray())!;
        Assert.Equal("fixed-response", (string?)action["Type"]);
        Assert.Equal("403", (string?)action["FixedResponseConfig"]!["StatusCode"]);
    }

    [Fact]
    public void EveryServiceRuleRequiresTheOriginHeaderWithTheCurrentOrPreviousSecret()
    {
        var rule = fixture.Result.Single("AWS::ElasticLoadBalancingV2::ListenerRule");
        var header = rule["Conditions"]!.AsArray().Single(c => (string?)c!["Field"] == "http-header")!;
        Assert.Equal("x-origin-verify", (string?)header["HttpHeaderConfig"]!["HttpHeaderName"]);
        Assert.Equal(fixture.Check.AcceptedValues, header["HttpHeaderConfig"]!["Values"]!.AsArray().Select(v => (string?)v));
        // The path and host conditions stay: the header is required in addition, never instead.
        Assert.Contains(rule["Conditions"]!.AsArray(), c => (string?)c!["Field"] == "path-pattern");
    }

    [Fact]
    public void TheSecretValueNeverAppearsOnlyItsReference() =>
        Assert.All(fixture.Check.AcceptedValues, v => Assert.StartsWith("{{resolve:secretsmanager:", v));

    [Fact]
    public void TheOriginCheckCountsAgainstTheRulesFiveConditionValues()
    {
        var (stack, network) = TestStacks.WithNetwork();
        var lb = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps { Vpc = network.Vpc, AllowPlainHttp = true, OriginCheck = fixture.Check });
        var error = Assert.Throws<PropsValidationException>(() => new WebService(stack, "ServiceWide", new WebServiceProps
        {
            Vpc = network.Vpc,
            Listener = lb.ServiceListener,
            OriginCheck = lb.OriginCheck,
            Routing = new ServiceRouting { Priority = 10, PathPatterns = ["/a/*", "/b/*", "/c/*", "/d/*"] },
            InstanceType = new InstanceType("t3.micro"),
            MinCapacity = 1,
            MaxCapacity = 2,
        }));
        Assert.Equal("Routing = 4 conditions allows at most 3 path patterns and host headers with the origin check (a rule matches at most 5 values)", error.Detail);
    }
}
