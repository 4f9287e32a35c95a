using System.Text.Json.Nodes;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// Two <see cref="DomainCertificate"/>s from settings with one of the two sources each — a hosted zone, or an ARN —
/// so the documented "Default: …" of DomainCertificateSettings (each source's absence, and unchecked names of an
/// imported certificate) is what lands in the template or what Validate says; synthesized once.
/// </summary>
public sealed class SecurityCertificateDefaultsFixture
{
    public const string Arn = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555";

    public static readonly HostedZoneReference Zone = new() { Id = "Z0123456789ABCDEFGHIJ", Name = "example.com" };

    public Synthesized Result { get; }

    public DomainCertificate Issued { get; }

    public DomainCertificate Imported { get; }

    public SecurityCertificateDefaultsFixture()
    {
        var stack = TestStacks.Empty();
        Issued = new DomainCertificate(stack, "Issued", new DomainCertificateProps { Name = "api.example.com", HostedZone = Zone });
        Imported = new DomainCertificate(stack, "Imported", new DomainCertificateProps { Name = "www.example.com", CertificateArn = Arn });
        Result = Synthesized.Of(stack);
    }
}

public sealed class SecurityCertificateDefaultsTests(SecurityCertificateDefaultsFixture fixture) : IClassFixture<SecurityCertificateDefaultsFixture>
{
    [Fact]
    public void Without_an_arn_a_new_certificate_is_issued_and_validated_through_dns_in_the_zone_by_default()
    {
        var (id, certificate) = fixture.Result.OfType("AWS::CertificateManager::Certificate").Single();
        var properties = certificate["Properties"]!;

        Assert.StartsWith("Issued", id, StringComparison.Ordinal);
        Assert.Equal(("api.example.com", "DNS"), ((string?)properties["DomainName"], (string?)properties["ValidationMethod"]));
        Assert.Equal(SecurityCertificateDefaultsFixture.Zone.Id, (string?)properties["DomainValidationOptions"]![0]!["HostedZoneId"]);
    }

    [Fact]
    public void Without_a_hosted_zone_the_certificate_is_imported_and_no_zone_is_known_by_default()
    {
        Assert.Null(fixture.Imported.HostedZone);
        Assert.Equal(SecurityCertificateDefaultsFixture.Arn, fixture.Imported.Certificate.CertificateArn);
        Assert.DoesNotContain(fixture.Result.Resources, r => r.Id.StartsWith("Imported", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_either_source_the_settings_are_refused()
    {
        var e = Assert.Throws<PropsValidationException>(() => DomainCertificate.Validate(new DomainCertificateSettings { Name = "api.example.com" }));

        Assert.Equal("CertificateArn", e.Path);
    }

    [Fact]
    public void An_imported_certificates_names_are_not_checked_by_default()
    {
        // Any name passes without Names; with Names, a name they do not cover is refused.
        DomainCertificate.Validate(new DomainCertificateSettings { Name = "anything.example.org", CertificateArn = SecurityCertificateDefaultsFixture.Arn });
        Assert.Throws<PropsValidationException>(() => DomainCertificate.Validate(new DomainCertificateSettings
        {
            Name = "anything.example.org", CertificateArn = SecurityCertificateDefaultsFixture.Arn, Names = ["*.example.com"],
        }));
    }
}
