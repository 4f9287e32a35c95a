using Amazon.CDK.Assertions;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Tests.Security;

public sealed class DomainCertificateTests(SecurityFixture security) : IClassFixture<SecurityFixture>
{
    [Fact]
    public void AHostedZoneIssuesACertificateValidatedThroughDnsWithoutALookup()
    {
        security.Result.Template.ResourceCountIs("AWS::CertificateManager::Certificate", 1);
        security.Result.Template.HasResourceProperties("AWS::CertificateManager::Certificate", new Dictionary<string, object>
        {
            ["DomainName"] = "api.example.com",
            ["ValidationMethod"] = "DNS",
            ["DomainValidationOptions"] = new object[] { new Dictionary<string, object> { ["DomainName"] = "api.example.com", ["HostedZoneId"] = "Z0123456789ABC" } },
        });
    }

    [Fact]
    public void AnArnImportsTheCertificateWithoutCreatingOne() =>
        Assert.DoesNotContain("admin.example.com", security.Result.Json.ToJsonString());

    public static TheoryData<string, string?, string?, string?, string> Rows() => new()
    {
        { "API", null, "Z1", "example.com", "Name = API must be a DNS name such as api.example.com" },
        { "api.example.com", null, null, null, "CertificateArn is required unless hostedZone is given to validate a new certificate" },
        { "api.example.com", "arn:aws:iam::123456789012:server-certificate/x", null, null, "CertificateArn = arn:aws:iam::123456789012:server-certificate/x must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)" },
        { "api.example.com", null, "zone-1", "example.com", "HostedZone.Id = zone-1 must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" },
        { "api.example.com", null, "Z1", "example.org", "HostedZone.Name = example.org must be the zone of name (api.example.com): api.example.com must equal or end with .example.org" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachBrokenSettingHasOneClearMessage(string name, string? arn, string? zoneId, string? zoneName, string message) =>
        Assert.Equal(message, Assert.Throws<PropsValidationException>(() => DomainCertificate.Validate(new DomainCertificateProps
        {
            Name = name,
            CertificateArn = arn,
            HostedZone = zoneId is null ? null : new HostedZoneReference { Id = zoneId, Name = zoneName! },
        })).Detail);
}

public sealed class CertificateNamesTests
{
    [Theory]
    [InlineData("api.example.com", true)]
    [InlineData("origin.example.com", true)]
    [InlineData("example.com", true)]
    [InlineData("a.b.example.com", false)]
    [InlineData("example.org", false)]
    public void AWildcardCoversExactlyOneMoreLabel(string host, bool covered) =>
        Assert.Equal(covered, DomainCertificate.Covers(["example.com", "*.example.com"], host));

    public static TheoryData<string[], string?, string> Rows() => new()
    {
        { ["origin.example.com"], "arn:aws:acm:us-east-1:123456789012:certificate/abc", "Name = api.example.com is not covered by the certificate's names (origin.example.com)" },
        { ["api.example.com"], null, "Names = [api.example.com] describe an imported certificate (certificateArn); a new certificate covers exactly name" },
        { [], "arn:aws:acm:us-east-1:123456789012:certificate/abc", "Names must list at least one name (or be left out)" },
        { ["API"], "arn:aws:acm:us-east-1:123456789012:certificate/abc", "Names[0] = API must be a DNS name such as api.example.com or *.example.com" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void ImportedNamesMustCoverTheName(string[] names, string? arn, string message) =>
        Assert.Equal(message, Assert.Throws<PropsValidationException>(() => DomainCertificate.Validate(new DomainCertificateProps
        {
            Name = "api.example.com",
            CertificateArn = arn,
            HostedZone = arn is null ? new HostedZoneReference { Id = "Z1", Name = "example.com" } : null,
            Names = names,
        })).Detail);
}
