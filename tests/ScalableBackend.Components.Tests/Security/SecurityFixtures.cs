using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Security;

/// <summary>
/// A user directory with threat protection, SES email, a prefix domain, declared scopes, a public web client and a
/// machine client; a second directory with every default; two certificates and an origin secret; synthesized once.
/// </summary>
public sealed class SecurityFixture
{
    public Synthesized Result { get; }

    public SecurityFixture()
    {
        var stack = TestStacks.Empty();
        _ = new UserDirectory(stack, "Users", new UserDirectoryProps
        {
            Mfa = MfaMode.Optional,
            PasswordMinLength = 14,
            SelfSignUp = true,
            ThreatProtection = ThreatProtectionMode.Enforced,
            Email = new UserDirectoryEmail { From = "no-reply@example.com", SesIdentityArn = "arn:aws:ses:us-east-1:123456789012:identity/example.com", ReplyTo = "support@example.com" },
            DomainPrefix = "example-users",
            Scopes = new Dictionary<string, UserDirectoryScope>
            {
                ["orders.read"] = new() { Description = "Read orders" },
                ["stock.sync"] = new() { Description = "Synchronise stock", Internal = true },
            },
            Clients = new Dictionary<string, UserDirectoryClient>
            {
                ["web"] = new() { Public = true, Flows = [OAuthFlow.AuthorizationCode], Scopes = ["orders.read"], CallbackUrls = ["https://app.example.com/callback"], LogoutUrls = ["https://app.example.com/"] },
                ["billing-worker"] = new() { Flows = [OAuthFlow.ClientCredentials] },
                ["stock-worker"] = new() { Flows = [OAuthFlow.ClientCredentials], Scopes = ["stock.sync", "orders.read"] },
            },
        });
        _ = new UserDirectory(stack, "PlainUsers", new UserDirectoryProps { Name = "plain" });
        _ = new DomainCertificate(stack, "IssuedCert", new DomainCertificateProps
        {
            Name = "api.example.com",
            HostedZone = new HostedZoneReference { Id = "Z0123456789ABC", Name = "example.com" },
        });
        _ = new DomainCertificate(stack, "ImportedCert", new DomainCertificateProps
        {
            Name = "admin.example.com",
            CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            Names = ["example.com", "*.example.com"],
        });
        Origin = new OriginSecret(stack, "Origin", new OriginSecretProps());
        Result = Synthesized.Of(stack);
    }

    public OriginSecret Origin { get; }
}
