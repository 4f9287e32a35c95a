using Amazon.CDK.Assertions;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Security;

public sealed class UserDirectoryTests(SecurityFixture security) : IClassFixture<SecurityFixture>
{
    private System.Text.Json.Nodes.JsonNode Pool => PoolOf("Users");

    private System.Text.Json.Nodes.JsonNode PoolOf(string directory) =>
        security.Result.OfType("AWS::Cognito::UserPool").Single(p => p.Id.StartsWith(directory + "UserPool", StringComparison.Ordinal)).Resource["Properties"]!;

    private static string[] Strings(System.Text.Json.Nodes.JsonNode? list) => list!.AsArray().Select(v => v!.ToJsonString()).ToArray();

    private System.Text.Json.Nodes.JsonNode Client(string name) =>
        security.Result.OfType("AWS::Cognito::UserPoolClient").Single(c => (string?)c.Resource["Properties"]!["ClientName"] == name).Resource["Properties"]!;

    [Fact]
    public void PasswordsNeedTheConfiguredLengthAndEveryCharacterClass() =>
        security.Result.Template.HasResourceProperties("AWS::Cognito::UserPool", new Dictionary<string, object>
        {
            ["Policies"] = new Dictionary<string, object>
            {
                ["PasswordPolicy"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["MinimumLength"] = 14, ["RequireLowercase"] = true, ["RequireUppercase"] = true, ["RequireNumbers"] = true, ["RequireSymbols"] = true,
                }),
            },
        });

    [Fact]
    public void MfaIsTotpOnlyAsConfigured()
    {
        Assert.Equal("OPTIONAL", (string?)Pool["MfaConfiguration"]);
        Assert.Equal(new[] { "SOFTWARE_TOKEN_MFA" }, Pool["EnabledMfas"]!.AsArray().Select(m => (string?)m));
    }

    [Fact]
    public void AccountsRecoverByVerifiedEmailOnly()
    {
        var mechanisms = Pool["AccountRecoverySetting"]!["RecoveryMechanisms"]!.AsArray();
        var only = Assert.Single(mechanisms);
        Assert.Equal("verified_email", (string?)only!["Name"]);
    }

    [Fact]
    public void SelfSignUpFollowsTheProps() =>
        Assert.False((bool)Pool["AdminCreateUserConfig"]!["AllowAdminCreateUserOnly"]!);

    [Fact]
    public void EnforcedThreatProtectionPutsThePoolOnThePlusPlan()
    {
        // CloudFormation rejects AdvancedSecurityMode ENFORCED on the Essentials plan new pools default to.
        Assert.Equal("ENFORCED", (string?)Pool["UserPoolAddOns"]!["AdvancedSecurityMode"]);
        Assert.Equal("PLUS", (string?)Pool["UserPoolTier"]);
    }

    [Fact]
    public void WithoutThreatProtectionThePoolStaysOnEssentialsWithoutTheAddOn()
    {
        var plain = PoolOf("PlainUsers");
        Assert.Null(plain["UserPoolAddOns"]);
        Assert.Null(plain["UserPoolTier"]);
    }

    [Fact]
    public void EmailGoesThroughTheSesIdentity()
    {
        var email = Pool["EmailConfiguration"]!;
        Assert.Equal("DEVELOPER", (string?)email["EmailSendingAccount"]);
        Assert.Equal("no-reply@example.com", (string?)email["From"]);
        Assert.Equal("arn:aws:ses:us-east-1:123456789012:identity/example.com", (string?)email["SourceArn"]);
        Assert.Equal("support@example.com", (string?)email["ReplyToEmailAddress"]);
    }

    [Fact]
    public void ThePrefixDomainServesTheTokenEndpoint()
    {
        var (_, domain) = security.Result.OfType("AWS::Cognito::UserPoolDomain").Single();
        Assert.Equal("example-users", (string?)domain["Properties"]!["Domain"]);
        Assert.Null(domain["Properties"]!["CustomDomainConfig"]);
    }

    [Fact]
    public void TheResourceServerHoldsTheBuiltInAndTheDeclaredScopes()
    {
        var server = security.Result.Single("AWS::Cognito::UserPoolResourceServer");
        Assert.Equal("backend", (string?)server["Identifier"]);
        Assert.Equal(new[] { "internal", "orders.read", "stock.sync" }, server["Scopes"]!.AsArray().Select(s => (string?)s!["ScopeName"]).Order());
    }

    [Fact]
    public void AMachineClientGetsItsDeclaredScopesAndAUserClientNoInternalOne()
    {
        var stock = Strings(Client("stock-worker")["AllowedOAuthScopes"]);
        Assert.Equal(2, stock.Length);
        Assert.Contains(stock, s => s.Contains("/stock.sync"));
        Assert.Contains(stock, s => s.Contains("/orders.read"));
        var web = Strings(Client("web")["AllowedOAuthScopes"]);
        Assert.Contains(web, s => s.Contains("/orders.read"));
        Assert.DoesNotContain(web, s => s.Contains("/internal") || s.Contains("/stock.sync"));
        Assert.Contains("\"openid\"", web);
    }

    [Fact]
    public void ThePoolIsDeletionProtectedAndRetained() =>
        security.Result.Template.HasResource("AWS::Cognito::UserPool", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object> { ["DeletionProtection"] = "ACTIVE" }),
            ["DeletionPolicy"] = "Retain",
        });

    [Fact]
    public void APublicClientHasNoSecretAndUsesTheAuthorizationCodeFlow()
    {
        var web = Client("web");
        Assert.False((bool?)web["GenerateSecret"] ?? false);
        Assert.Equal(new[] { "code" }, web["AllowedOAuthFlows"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(new[] { "https://app.example.com/callback" }, web["CallbackURLs"]!.AsArray().Select(f => (string?)f));
    }

    [Fact]
    public void AMachineClientHasASecretAndTheBuiltInInternalScopeByDefault()
    {
        var worker = Client("billing-worker");
        Assert.True((bool)worker["GenerateSecret"]!);
        Assert.Equal(new[] { "client_credentials" }, worker["AllowedOAuthFlows"]!.AsArray().Select(f => (string?)f));
        var scope = Assert.Single(Strings(worker["AllowedOAuthScopes"]));
        Assert.Contains("/internal", scope);
    }

    [Fact]
    public void ClientsHideWhetherAUserExists() =>
        Assert.Equal("ENABLED", (string?)Client("web")["PreventUserExistenceErrors"]);

    public static TheoryData<string, string> Rows() => new()
    {
        { "short", "PasswordMinLength = 8 must be between 12 and 99" },
        { "key", "Clients = Web keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)" },
        { "twice", "Clients.web.Flows = [authorization_code, authorization_code] lists a flow twice" },
        { "combined", "Clients.web.Flows = [authorization_code, client_credentials] must not combine client_credentials with another flow" },
        { "public-machine", "Clients.web.Public = True must be false with client_credentials: a machine client authenticates with its secret" },
        { "no-callback", "Clients.web.CallbackUrls are required with the authorization_code flow" },
        { "http", "Clients.web.CallbackUrls = http://app.example.com must use https:// (http only for http://localhost)" },
        { "urls-without-flow", "Clients.web.Flows must name an OAuth flow when callbackUrls, logoutUrls or scopes are given" },
        { "no-ses", "Email is required when selfSignUp is true: Cognito's default sender delivers only a few dozen messages a day, so sign-ups stall; give SES settings (from, sesIdentityArn) or set allowCognitoDefaultEmail" },
        { "ses-arn", "Email.SesIdentityArn = arn:aws:iam::123456789012:user/x must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)" },
        { "from", "Email.From = nobody must be an email address such as no-reply@example.com (optionally as Name <address>)" },
        { "two-domains", "CustomDomain = auth.example.com must not be set together with domainPrefix: the directory has one domain" },
        { "prefix", "DomainPrefix = my-cognito must be lower-case letters, digits and dashes (at most 63, no dash first or last) without aws, amazon or cognito" },
        { "custom-cert", "CustomDomain.CertificateArn = arn:aws:acm:eu-west-1:123456789012:certificate/abc must be an ACM certificate ARN in us-east-1 (Cognito serves custom domains through CloudFront)" },
        { "no-domain", "Clients.web.Flows = [authorization_code] need a domain (domainPrefix or customDomain): without one the pool has no token endpoint" },
        { "unknown-scope", "Clients.web.Scopes[0] = orders.write is not a scope; declared: internal, orders.read" },
        { "internal-to-users", "Clients.web.Scopes[0] = internal is an internal scope: only client_credentials clients may be granted it, so no user (self-registered ones included) ever holds it" },
        { "declared-internal-to-users", "Clients.web.Scopes[1] = stock.sync is an internal scope: only client_credentials clients may be granted it, so no user (self-registered ones included) ever holds it" },
        { "scope-named-internal", "Scopes = internal is built in (an internal scope for client-credentials clients); choose another name" },
        { "scope-key", "Scopes = Orders keys must be lower-case letters, digits, dots and dashes, starting with a letter (at most 40)" },
    };

    private static UserDirectoryProps Broken(string row)
    {
        static UserDirectoryProps With(string key, UserDirectoryClient client) => new() { DomainPrefix = "users", Clients = new Dictionary<string, UserDirectoryClient> { [key] = client } };
        static UserDirectoryProps Scoped(UserDirectoryClient client, string? internalScope = null)
        {
            var scopes = new Dictionary<string, UserDirectoryScope> { ["orders.read"] = new() { Description = "Read orders" } };
            if (internalScope is not null) scopes[internalScope] = new() { Description = "Machines only", Internal = true };
            return With("web", client) with { Scopes = scopes };
        }
        return row switch
        {
            "short" => new UserDirectoryProps { PasswordMinLength = 8 },
            "key" => With("Web", new UserDirectoryClient()),
            "twice" => With("web", new() { Flows = [OAuthFlow.AuthorizationCode, OAuthFlow.AuthorizationCode], CallbackUrls = ["https://a.example.com"] }),
            "combined" => With("web", new() { Flows = [OAuthFlow.AuthorizationCode, OAuthFlow.ClientCredentials], CallbackUrls = ["https://a.example.com"] }),
            "public-machine" => With("web", new() { Public = true, Flows = [OAuthFlow.ClientCredentials] }),
            "no-callback" => With("web", new() { Flows = [OAuthFlow.AuthorizationCode] }),
            "http" => With("web", new() { Flows = [OAuthFlow.AuthorizationCode], CallbackUrls = ["http://app.example.com"] }),
            "urls-without-flow" => With("web", new() { LogoutUrls = ["https://a.example.com"] }),
            "no-ses" => new UserDirectoryProps { SelfSignUp = true },
            "ses-arn" => new UserDirectoryProps { Email = new() { From = "no-reply@example.com", SesIdentityArn = "arn:aws:iam::123456789012:user/x" } },
            "from" => new UserDirectoryProps { Email = new() { From = "nobody", SesIdentityArn = "arn:aws:ses:us-east-1:123456789012:identity/example.com" } },
            "two-domains" => new UserDirectoryProps { DomainPrefix = "users", CustomDomain = new() { Name = "auth.example.com", CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc" } },
            "prefix" => new UserDirectoryProps { DomainPrefix = "my-cognito" },
            "custom-cert" => new UserDirectoryProps { CustomDomain = new() { Name = "auth.example.com", CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } },
            "no-domain" => With("web", new() { Flows = [OAuthFlow.AuthorizationCode], CallbackUrls = ["https://a.example.com"] }) with { DomainPrefix = null },
            "unknown-scope" => Scoped(new() { Flows = [OAuthFlow.AuthorizationCode], CallbackUrls = ["https://a.example.com"], Scopes = ["orders.write"] }),
            "internal-to-users" => Scoped(new() { Flows = [OAuthFlow.AuthorizationCode], CallbackUrls = ["https://a.example.com"], Scopes = ["internal"] }),
            "declared-internal-to-users" => Scoped(new() { Flows = [OAuthFlow.AuthorizationCode], CallbackUrls = ["https://a.example.com"], Scopes = ["orders.read", "stock.sync"] }, internalScope: "stock.sync"),
            "scope-named-internal" => new UserDirectoryProps { Scopes = new Dictionary<string, UserDirectoryScope> { ["internal"] = new() { Description = "x" } } },
            "scope-key" => new UserDirectoryProps { Scopes = new Dictionary<string, UserDirectoryScope> { ["Orders"] = new() { Description = "x" } } },
            _ => throw new ArgumentOutOfRangeException(nameof(row)),
        };
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachBrokenSettingHasOneClearMessage(string row, string message) =>
        Assert.Equal(message, Assert.Throws<PropsValidationException>(() => UserDirectory.Validate(Broken(row))).Detail);

    [Fact]
    public void SelfSignUpMayUseCognitosSenderWhenTheSettingsSaySoExplicitly() =>
        UserDirectory.Validate(new UserDirectoryProps { SelfSignUp = true, AllowCognitoDefaultEmail = true });

    [Fact]
    public void ACustomDomainIsReportedAsTheDnsRecordTheDeployerCreates()
    {
        var stack = TestStacks.Empty();
        var users = new UserDirectory(stack, "Users", new UserDirectoryProps
        {
            CustomDomain = new UserDirectoryCustomDomain { Name = "auth.example.com", CertificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
        });
        var record = Assert.Single(users.RequiredDnsRecords);
        Assert.Equal(("auth.example.com", "CNAME"), (record.Name, record.Type));
        Assert.Contains("CloudFrontDistribution", System.Text.Json.JsonSerializer.Serialize(stack.Resolve(record.Target)));
        Synthesized.Of(stack).Template.HasResourceProperties("AWS::Cognito::UserPoolDomain", new Dictionary<string, object>
        {
            ["Domain"] = "auth.example.com",
            ["CustomDomainConfig"] = new Dictionary<string, object> { ["CertificateArn"] = "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
        });
    }
}
