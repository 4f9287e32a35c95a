using System.Text.Json.Nodes;
using Amazon.CDK.AWS.CertificateManager;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// A <see cref="ServiceLoadBalancer"/> with only its VPC and certificate, so the documented "Default: …" of
/// LoadBalancerSettings and ServiceLoadBalancerProps is what lands in the template; synthesized once.
/// </summary>
public sealed class LoadBalancerDefaultsFixture
{
    public Synthesized Result { get; }

    public LoadBalancerDefaultsFixture()
    {
        var (stack, network) = TestStacks.WithNetwork();
        _ = new ServiceLoadBalancer(stack, "LoadBalancer", new ServiceLoadBalancerProps
        {
            Vpc = network.Vpc,
            Certificate = Certificate.FromCertificateArn(stack, "Cert", "arn:aws:acm:us-east-1:123456789012:certificate/abc"),
        });
        Result = Synthesized.Of(stack);
    }
}

public sealed class LoadBalancerDefaultsTests(LoadBalancerDefaultsFixture fixture) : IClassFixture<LoadBalancerDefaultsFixture>
{
    private JsonObject LoadBalancer => fixture.Result.Single("AWS::ElasticLoadBalancingV2::LoadBalancer");

    private string? Attribute(string key) => LoadBalancer["LoadBalancerAttributes"]!.AsArray()
        .Select(a => a!.AsObject()).Where(a => (string?)a["Key"] == key).Select(a => (string?)a["Value"]).SingleOrDefault();

    private JsonObject Listener(string protocol) => fixture.Result.OfType("AWS::ElasticLoadBalancingV2::Listener")
        .Select(l => l.Resource["Properties"]!.AsObject()).Single(l => (string?)l["Protocol"] == protocol);

    [Fact]
    public void The_load_balancer_faces_the_internet_by_default() =>
        Assert.Equal("internet-facing", (string?)LoadBalancer["Scheme"]);

    [Fact]
    public void The_load_balancer_is_deletion_protected_by_default() =>
        Assert.Equal("true", Attribute("deletion_protection.enabled"));

    [Fact]
    public void Idle_connections_time_out_after_60_seconds_by_default() =>
        Assert.Equal("60", Attribute("idle_timeout.timeout_seconds"));

    [Fact]
    public void Access_logs_go_to_a_new_bucket_and_expire_after_90_days_by_default()
    {
        var bucket = fixture.Result.Single("AWS::S3::Bucket");
        var rule = bucket["LifecycleConfiguration"]!["Rules"]!.AsArray().Single(r => (string?)r!["Id"] == "ExpireAccessLogs")!;

        Assert.Equal(90, (int)rule["ExpirationInDays"]!);
        Assert.Equal("true", Attribute("access_logs.s3.enabled"));
    }

    [Fact]
    public void Https_uses_the_tls_1_2_and_1_3_policy_and_http_only_redirects_by_default()
    {
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-2021-06", (string?)Listener("HTTPS")["SslPolicy"]);
        Assert.Equal("redirect", (string?)Listener("HTTP")["DefaultActions"]![0]!["Type"]);
    }

    [Fact]
    public void Without_an_origin_check_unrouted_requests_get_404_by_default() =>
        Assert.Equal("404", (string?)Listener("HTTPS")["DefaultActions"]![0]!["FixedResponseConfig"]!["StatusCode"]);
}
