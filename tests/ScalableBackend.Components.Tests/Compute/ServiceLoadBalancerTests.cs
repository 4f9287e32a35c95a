using Amazon.CDK;
using Amazon.CDK.Assertions;
using ScalableBackend.Components.Compute;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Compute;

public sealed class ServiceLoadBalancerTests(HttpsServiceFixture https, PlainHttpFixture plain)
    : IClassFixture<HttpsServiceFixture>, IClassFixture<PlainHttpFixture>
{
    [Fact]
    public void DefaultsToAnInternetFacingLoadBalancerWithDeletionProtectionAndDroppedInvalidHeaders() =>
        https.Result.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", new Dictionary<string, object>
        {
            ["Scheme"] = "internet-facing",
            ["LoadBalancerAttributes"] = Match.ArrayWith(new object[]
            {
                new Dictionary<string, object> { ["Key"] = "deletion_protection.enabled", ["Value"] = "true" },
                new Dictionary<string, object> { ["Key"] = "idle_timeout.timeout_seconds", ["Value"] = "60" },
                new Dictionary<string, object> { ["Key"] = "routing.http.drop_invalid_header_fields.enabled", ["Value"] = "true" },
            }),
        });

    [Fact]
    public void HttpsListenerDefaultsToTls13And12PolicyAndA404ForUnroutedRequests() =>
        https.Result.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTPS",
            ["SslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06",
            ["DefaultActions"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["Type"] = "fixed-response", ["FixedResponseConfig"] = Match.ObjectLike(new Dictionary<string, object> { ["StatusCode"] = "404" }) }) },
        });

    [Fact]
    public void HttpListenerPermanentlyRedirectsToHttps() =>
        https.Result.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTP",
            ["Port"] = 80,
            ["DefaultActions"] = new object[]
            {
                new Dictionary<string, object> { ["Type"] = "redirect", ["RedirectConfig"] = new Dictionary<string, object> { ["Protocol"] = "HTTPS", ["Port"] = "443", ["StatusCode"] = "HTTP_301" } },
            },
        });

    [Fact]
    public void SecurityGroupAdmitsOnly80And443FromClientsAndHasNoOpenEgress()
    {
        var (_, group) = https.Result.OfType("AWS::EC2::SecurityGroup").Single(g => ((string?)g.Resource["Properties"]!["GroupDescription"])!.StartsWith("Load balancer"));
        var ports = group["Properties"]!["SecurityGroupIngress"]!.AsArray().Select(r => (int)r!["FromPort"]!).Order();
        Assert.Equal(new[] { 80, 443 }, ports);
        // No egress to anywhere: every outbound rule (the targets' ports, or CDK's placeholder) names a narrower peer.
        var egress = group["Properties"]!["SecurityGroupEgress"]?.AsArray() ?? [];
        Assert.All(egress, e =>
        {
            Assert.NotEqual("0.0.0.0/0", (string?)e!["CidrIp"]);
            Assert.NotEqual("::/0", (string?)e["CidrIpv6"]);
        });
    }

    [Fact]
    public void AccessLogsGoToAnEncryptedTlsOnlyBucketThatExpiresThem()
    {
        https.Result.Template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["BucketEncryption"] = Match.ObjectLike(new Dictionary<string, object>()),
            ["VersioningConfiguration"] = new Dictionary<string, object> { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = new Dictionary<string, object> { ["Rules"] = Match.ArrayWith(new object[] { Match.ObjectLike(new Dictionary<string, object> { ["ExpirationInDays"] = 90 }) }) },
        });
        https.Result.Template.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(new object[]
                {
                    Match.ObjectLike(new Dictionary<string, object> { ["Effect"] = "Deny", ["Condition"] = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } } }),
                }),
            }),
        });
    }

    [Fact]
    public void PlainHttpModeServesOnPort80AndAcknowledgesTheTlsRuleWithAReason()
    {
        plain.Result.Template.ResourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        plain.Result.Template.HasResource("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object> { ["Protocol"] = "HTTP", ["Port"] = 80 }),
            ["Metadata"] = new Dictionary<string, object>
            {
                ["ScalableBackend"] = new Dictionary<string, object>
                {
                    ["Acknowledgements"] = new object[] { new Dictionary<string, object> { ["Rule"] = "SB-ELB-002", ["Reason"] = Match.StringLikeRegexp("no certificate") } },
                },
            },
        });
    }

    [Fact]
    public void DeletionProtectionAndLogExpiryFollowTheProps()
    {
        plain.Result.Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", new Dictionary<string, object>
        {
            ["LoadBalancerAttributes"] = Match.ArrayWith(new object[] { new Dictionary<string, object> { ["Key"] = "deletion_protection.enabled", ["Value"] = "false" } }),
        });
        plain.Result.Template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["LifecycleConfiguration"] = new Dictionary<string, object> { ["Rules"] = Match.ArrayWith(new object[] { Match.ObjectLike(new Dictionary<string, object> { ["ExpirationInDays"] = 7 }) }) },
        });
    }

    [Fact]
    public void RequiresACertificateUnlessPlainHttpIsExplicit() =>
        Assert.Equal("Certificate is required unless allowPlainHttp is true: plain HTTP is never a default",
            Assert.Throws<PropsValidationException>(() => ServiceLoadBalancer.Validate(new LoadBalancerSettings(), hasCertificate: false)).Detail);

    [Fact]
    public void RejectsPlainHttpTogetherWithACertificate() =>
        Assert.Equal("AllowPlainHttp = True must not be set when a certificate is given",
            Assert.Throws<PropsValidationException>(() => ServiceLoadBalancer.Validate(new LoadBalancerSettings { AllowPlainHttp = true }, hasCertificate: true)).Detail);

    [Fact]
    public void RejectsAnAccessLogExpiryBelowOneDay() =>
        Assert.Equal("AccessLogExpirationDays = 0 must be at least 1",
            Assert.Throws<PropsValidationException>(() => ServiceLoadBalancer.Validate(new LoadBalancerSettings { AccessLogExpirationDays = 0 }, hasCertificate: true)).Detail);

    [Fact]
    public void RejectsAnIdleTimeoutAbove4000Seconds() =>
        Assert.Equal("IdleTimeout = 4001s must be between 1s and 4000s",
            Assert.Throws<PropsValidationException>(() => ServiceLoadBalancer.Validate(new LoadBalancerSettings { IdleTimeout = Duration.Seconds(4001) }, hasCertificate: true)).Detail);
}
