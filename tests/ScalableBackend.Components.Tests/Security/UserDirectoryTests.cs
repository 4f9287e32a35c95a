using Amazon.CDK.Assertions;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Security;

public sealed class UserDirectoryTests(SecurityFixture security) : IClassFixture<SecurityFixture>
{
    private System.Text.Json.Nodes.JsonNode Pool => security.Result.OfType("AWS::Cognito::UserPool").Single().Resource["Properties"]!;

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
    public void SelfSignUpFollowsThePropsAndAdvancedSecurityIsEnforced()
    {
        Assert.False((bool)Pool["AdminCreateUserConfig"]!["AllowAdminCreateUserOnly"]!);
        Assert.Equal("ENFORCED", (string?)Pool["UserPoolAddOns"]!["AdvancedSecurityMode"]);
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
    public void AMachineClientHasASecretAndTheResourceServersScope()
    {
        var worker = Client("billing-worker");
        Assert.True((bool)worker["GenerateSecret"]!);
        Assert.Equal(new[] { "client_credentials" }, worker["AllowedOAuthFlows"]!.AsArray().Select(f => (string?)f));
        Assert.Contains("/internal", worker["AllowedOAuthScopes"]!.ToJsonString());
        security.Result.Template.HasResourceProperties("AWS::Cognito::UserPoolResourceServer", new Dictionary<string, object> { ["Identifier"] = "backend" });
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
        { "urls-without-flow", "Clients.web.Flows must name an OAuth flow when callbackUrls or logoutUrls are given" },
    };

    private static UserDirectoryProps Broken(string row)
    {
        static UserDirectoryProps With(string key, UserDirectoryClient client) => new() { Clients = new Dictionary<string, UserDirectoryClient> { [key] = client } };
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
            _ => throw new ArgumentOutOfRangeException(nameof(row)),
        };
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EachBrokenSettingHasOneClearMessage(string row, string message) =>
        Assert.Equal(message, Assert.Throws<PropsValidationException>(() => UserDirectory.Validate(Broken(row))).Detail);
}
