using System.Text.Json.Nodes;
using ScalableBackend.Components.Security;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Defaults;

/// <summary>
/// A <see cref="UserDirectory"/> with nothing optional set and one client with nothing set, and an
/// <see cref="OriginSecret"/> from empty props, so the documented "Default: …" of UserDirectoryProps,
/// UserDirectoryClient and OriginSecretSettings/Props is what lands in the template; synthesized once.
/// </summary>
public sealed class SecurityDefaultsFixture
{
    public Synthesized Result { get; }

    public SecurityDefaultsFixture()
    {
        var stack = TestStacks.Empty();
        _ = new UserDirectory(stack, "Users", new UserDirectoryProps
        {
            Clients = new Dictionary<string, UserDirectoryClient> { ["app"] = new() },
        });
        _ = new OriginSecret(stack, "Origin", new OriginSecretProps());
        Result = Synthesized.Of(stack);
    }
}

public sealed class SecurityDefaultsTests(SecurityDefaultsFixture fixture) : IClassFixture<SecurityDefaultsFixture>
{
    private JsonObject Pool => fixture.Result.Single("AWS::Cognito::UserPool");

    private JsonObject Client => fixture.Result.Single("AWS::Cognito::UserPoolClient");

    [Fact]
    public void Users_must_use_totp_by_default()
    {
        Assert.Equal("ON", (string?)Pool["MfaConfiguration"]);
        Assert.Equal(["SOFTWARE_TOKEN_MFA"], Pool["EnabledMfas"]!.AsArray().Select(m => (string?)m));
    }

    [Fact]
    public void Passwords_are_at_least_12_characters_by_default() =>
        Assert.Equal(12, (int)Pool["Policies"]!["PasswordPolicy"]!["MinimumLength"]!);

    [Fact]
    public void Only_administrators_create_users_by_default() =>
        Assert.True((bool)Pool["AdminCreateUserConfig"]!["AllowAdminCreateUserOnly"]!);

    [Fact]
    public void The_pool_is_deletion_protected_by_default() =>
        Assert.Equal("ACTIVE", (string?)Pool["DeletionProtection"]);

    [Fact]
    public void Threat_protection_is_off_by_default()
    {
        Assert.Null(Pool["UserPoolAddOns"]);
        Assert.NotEqual("PLUS", (string?)Pool["UserPoolTier"]);
    }

    [Fact]
    public void The_pool_sends_with_cognitos_sender_and_has_a_derived_name_by_default()
    {
        Assert.NotEqual("DEVELOPER", (string?)Pool["EmailConfiguration"]?["EmailSendingAccount"]);
        Assert.Null(Pool["UserPoolName"]);
    }

    [Fact]
    public void A_client_gets_a_secret_and_no_oauth_flow_by_default()
    {
        Assert.True((bool)Client["GenerateSecret"]!);
        Assert.NotEqual(true, (bool?)Client["AllowedOAuthFlowsUserPoolClient"]);
        Assert.Null(Client["CallbackURLs"]);
        Assert.Null(Client["LogoutURLs"]);
    }

    [Fact]
    public void The_origin_secret_generates_its_first_value_under_v1_with_a_generated_name_by_default()
    {
        var secret = fixture.Result.Single("AWS::SecretsManager::Secret");

        Assert.Equal("v1", (string?)secret["GenerateSecretString"]!["GenerateStringKey"]);
        Assert.Null(secret["Name"]);
    }
}
