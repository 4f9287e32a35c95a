using Amazon.CDK;
using Amazon.CDK.AWS.Cognito;
using Constructs;
using ScalableBackend.Components.Compute;

namespace ScalableBackend.Components.Security;

/// <summary>
/// A Cognito user pool for the API's users: sign-in by verified email, passwords of at least 12 characters with
/// upper and lower case, digits and symbols, TOTP multi-factor authentication (optional or required), account
/// recovery by verified email only, advanced security (compromised credentials, adaptive authentication) enforced,
/// deletion protection and retention; plus keyed app clients — public ones without a secret — with their OAuth flows.
/// </summary>
public sealed class UserDirectory : Construct
{
    /// <summary>The scope a client-credentials client receives: <c>backend/internal</c>.</summary>
    public const string InternalScope = "internal";

    /// <summary>The user pool.</summary>
    public UserPool UserPool { get; }

    /// <summary>The app clients, keyed by name.</summary>
    public IReadOnlyDictionary<string, UserPoolClient> Clients { get; }

    /// <summary>The resource server of machine clients; null unless a client uses client credentials.</summary>
    public UserPoolResourceServer? ResourceServer { get; }

    /// <summary>Creates the user pool; validates <paramref name="props"/> before creating anything.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public UserDirectory(Construct scope, string id, UserDirectoryProps props) : base(scope, id)
    {
        Validate(props);
        UserPool = new UserPool(this, "UserPool", new UserPoolProps
        {
            UserPoolName = props.Name,
            SelfSignUpEnabled = props.SelfSignUp ?? false,
            SignInAliases = new SignInAliases { Email = true },
            AutoVerify = new AutoVerifiedAttrs { Email = true },
            SignInCaseSensitive = false,
            PasswordPolicy = new PasswordPolicy
            {
                MinLength = props.PasswordMinLength ?? 12,
                RequireLowercase = true,
                RequireUppercase = true,
                RequireDigits = true,
                RequireSymbols = true,
                TempPasswordValidity = Duration.Days(3),
            },
            Mfa = (props.Mfa ?? MfaMode.Required) == MfaMode.Required ? Mfa.REQUIRED : Mfa.OPTIONAL,
            // TOTP only: SMS codes can be intercepted (SIM swap) and would need an SNS role.
            MfaSecondFactor = new MfaSecondFactor { Otp = true, Sms = false },
            AccountRecovery = AccountRecovery.EMAIL_ONLY,
            AdvancedSecurityMode = AdvancedSecurityMode.ENFORCED,
            DeletionProtection = props.DeletionProtection ?? true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        var clients = (props.Clients ?? new Dictionary<string, UserDirectoryClient>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        if (clients.Any(c => c.Value.Flows?.Contains(OAuthFlow.ClientCredentials) == true))
            ResourceServer = UserPool.AddResourceServer("ResourceServer", new UserPoolResourceServerOptions
            {
                Identifier = "backend",
                UserPoolResourceServerName = "backend",
                Scopes = new[] { new ResourceServerScope(new ResourceServerScopeProps { ScopeName = InternalScope, ScopeDescription = "Service-to-service calls" }) },
            });

        var created = new Dictionary<string, UserPoolClient>();
        foreach (var (key, client) in clients)
        {
            var flows = client.Flows ?? [];
            var isPublic = client.Public ?? false;
            created[key] = UserPool.AddClient($"Client{WebService.ToPascal(key)}", new UserPoolClientOptions
            {
                UserPoolClientName = key,
                GenerateSecret = !isPublic,
                AuthFlows = flows.Contains(OAuthFlow.ClientCredentials) ? new AuthFlow() : new AuthFlow { UserSrp = true },
                DisableOAuth = flows.Count == 0,
                OAuth = flows.Count == 0 ? null : new OAuthSettings
                {
                    Flows = new OAuthFlows
                    {
                        AuthorizationCodeGrant = flows.Contains(OAuthFlow.AuthorizationCode),
                        ClientCredentials = flows.Contains(OAuthFlow.ClientCredentials),
                    },
                    Scopes = flows.Contains(OAuthFlow.ClientCredentials)
                        ? new[] { OAuthScope.ResourceServer(ResourceServer!, new ResourceServerScope(new ResourceServerScopeProps { ScopeName = InternalScope, ScopeDescription = "Service-to-service calls" })) }
                        : new[] { OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE },
                    CallbackUrls = client.CallbackUrls?.ToArray(),
                    LogoutUrls = client.LogoutUrls?.ToArray(),
                },
                PreventUserExistenceErrors = true,
                // Token lifetimes stay at Cognito's defaults (access and id tokens 1 hour, refresh tokens 30 days).
                EnableTokenRevocation = true,
            });
        }
        Clients = created;
    }

    private static PropsValidationException Invalid(string path, object? value, string rule) => new(path, value, rule);

    /// <summary>Checks the settings of a user directory; throws naming the property path, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(UserDirectorySettings s)
    {
        if (s.PasswordMinLength is { } length && (length < 12 || length > 99))
            throw Invalid(nameof(s.PasswordMinLength), length, "must be between 12 and 99");
        foreach (var (name, client) in (s.Clients ?? new Dictionary<string, UserDirectoryClient>()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var at = $"{nameof(s.Clients)}.{name}";
            if (!WebService.IsValidKey(name))
                throw Invalid(nameof(s.Clients), name, "keys must be lower-case letters, digits and dashes, starting with a letter (at most 40)");
            var flows = client.Flows ?? [];
            if (flows.Distinct().Count() != flows.Count)
                throw Invalid($"{at}.{nameof(client.Flows)}", flows.Select(ConfigName), "lists a flow twice");
            if (flows.Contains(OAuthFlow.ClientCredentials) && flows.Count > 1)
                throw Invalid($"{at}.{nameof(client.Flows)}", flows.Select(ConfigName), "must not combine client_credentials with another flow");
            if (flows.Contains(OAuthFlow.ClientCredentials) && client.Public == true)
                throw Invalid($"{at}.{nameof(client.Public)}", true, "must be false with client_credentials: a machine client authenticates with its secret");
            if (flows.Contains(OAuthFlow.AuthorizationCode) && client.CallbackUrls is null or { Count: 0 })
                throw Invalid($"{at}.{nameof(client.CallbackUrls)}", null, "are required with the authorization_code flow");
            var urls = (client.CallbackUrls ?? []).Select(u => (Key: nameof(client.CallbackUrls), Url: u))
                .Concat((client.LogoutUrls ?? []).Select(u => (Key: nameof(client.LogoutUrls), Url: u)));
            foreach (var (key, url) in urls)
                if (!url.StartsWith("https://", StringComparison.Ordinal) && !url.StartsWith("http://localhost", StringComparison.Ordinal))
                    throw Invalid($"{at}.{key}", url, "must use https:// (http only for http://localhost)");
            if (flows.Count == 0 && (client.CallbackUrls is { Count: > 0 } || client.LogoutUrls is { Count: > 0 }))
                throw Invalid($"{at}.{nameof(client.Flows)}", null, "must name an OAuth flow when callbackUrls or logoutUrls are given");
        }
    }

    private static string ConfigName(OAuthFlow flow) => flow == OAuthFlow.AuthorizationCode ? "authorization_code" : "client_credentials";
}
