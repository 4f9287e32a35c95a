using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Security;

/// <summary>A user directory with a public web client and a machine client, and two certificates; synthesized once.</summary>
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
            Clients = new Dictionary<string, UserDirectoryClient>
            {
                ["web"] = new() { Public = true, Flows = [OAuthFlow.AuthorizationCode], CallbackUrls = ["https://app.example.com/callback"], LogoutUrls = ["https://app.example.com/"] },
                ["billing-worker"] = new() { Flows = [OAuthFlow.ClientCredentials] },
            },
        });
        _ = new DomainCertificate(stack, "IssuedCert", new DomainCertificateProps
        {
            Name = "api.example.com",
            HostedZone = new HostedZoneReference { Id = "Z0123456789ABC", Name = "example.com" },
        });
        _ = new DomainCertificate(stack, "ImportedCert", new DomainCertificateProps
        {
            Name = "admin.example.com",
            CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        });
        Result = Synthesized.Of(stack);
    }
}
