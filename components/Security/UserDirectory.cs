using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.Cognito;
using Constructs;
using ScalableBackend.Components.Compute;

namespace ScalableBackend.Components.Security;

/// <summary>
/// A Cognito user pool for the API's users: sign-in by verified email, passwords of at least 12 characters with
/// upper and lower case, digits and symbols, TOTP multi-factor authentication (optional or required), account
/// recovery by verified email only, threat protection when chosen (on the Plus feature plan it needs), email through
/// SES, deletion protection and retention; a domain serving the token endpoint, a resource server with the declared
/// scopes, and keyed app clients — public ones without a secret — with their OAuth flows and scopes.
/// </summary>
/// <remarks>
/// Why threat protection sets the plan: new pools default to the Essentials plan, and CloudFormation rejects
/// <c>AdvancedSecurityMode</c> other than OFF on it ("The following features need to be disabled for the ESSENTIALS
/// pricing tier configured: Threat Protection"); the add-on is only available on the Plus plan (CloudFormation,
/// <c>AWS::Cognito::UserPool UserPoolAddOns</c>; Cognito developer guide, "User pool feature plans"). CDK 2.160 has no
/// <c>featurePlan</c>, so <c>UserPoolTier: PLUS</c> is an override on the L1 resource.
/// Why scopes: an API Gateway Cognito authorizer validates ID tokens unless the method names authorization scopes;
/// with scopes it validates access tokens and requires one of them (API Gateway developer guide, "Integrate a REST API
/// with an Amazon Cognito user pool"), which is the only token a client-credentials client gets.
/// </remarks>
public sealed partial class UserDirectory : Construct
{
    /// <summary>The scope a client-credentials client receives by default: <c>backend/internal</c> (internal: machine clients only).</summary>
    public const string InternalScope = "internal";

    /// <summary>The identifier of the resource server: scopes are named <c>backend/&lt;scope&gt;</c>.</summary>
    public const string ResourceServerIdentifier = "backend";

    /// <summary>The standard OpenID Connect scopes every user client gets.</summary>
    public static readonly IReadOnlyList<string> UserScopes = ["openid", "email", "profile"];

    /// <summary>The domain serving the hosted sign-in and token endpoints; null without a domain prefix or custom domain.</summary>
    public UserPoolDomain? Domain { get; }

    /// <summary>
    /// The DNS record the deployer must create for <see cref="UserDirectoryCustomDomain"/> (a CNAME to the CloudFront
    /// distribution Cognito creates), or none with a prefix domain. Components create no outputs; the stack does.
    /// </summary>
    public IReadOnlyList<RequiredDnsRecord> RequiredDnsRecords { get; }

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
            AdvancedSecurityMode = (props.ThreatProtection ?? ThreatProtectionMode.Off) switch
            {
                ThreatProtectionMode.Enforced => AdvancedSecurityMode.ENFORCED,
                ThreatProtectionMode.Audit => AdvancedSecurityMode.AUDIT,
                _ => null,
            },
            DeletionProtection = props.DeletionProtection ?? true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        var pool = (CfnUserPool)UserPool.Node.DefaultChild!;
        PolicyAcknowledgement[] relaxed =
        [
            .. (props.Mfa ?? MfaMode.Required) == MfaMode.Required ? [] : new[]
            {
                new PolicyAcknowledgement("AwsSolutions-COG2", "mfa: optional in this directory's settings: users may enrol a TOTP second factor but need not."),
            },
            .. (props.ThreatProtection ?? ThreatProtectionMode.Off) != ThreatProtectionMode.Off ? [] : new[]
            {
                new PolicyAcknowledgement("AwsSolutions-COG8",
                    "threatProtection: off in this directory's settings keeps the pool on the Essentials tier; threat protection " +
                    "(compromised credentials, adaptive authentication) needs the Plus tier, priced per monthly active user."),
            },
        ];
        if (relaxed.Length > 0)
            PolicyAcknowledgement.Apply(pool, relaxed);
        if ((props.ThreatProtection ?? ThreatProtectionMode.Off) != ThreatProtectionMode.Off)
            pool.AddPropertyOverride("UserPoolTier", "PLUS");
        if (props.Email is { } email)
            pool.AddPropertyOverride("EmailConfiguration", Compact(new Dictionary<string, object?>
            {
                ["EmailSendingAccount"] = "DEVELOPER",
                ["From"] = email.From,
                ["SourceArn"] = email.SesIdentityArn,
                ["ReplyToEmailAddress"] = email.ReplyTo,
                ["ConfigurationSet"] = email.ConfigurationSet,
            }));

        var records = new List<RequiredDnsRecord>();
        if (props.DomainPrefix is { } prefix)
            Domain = UserPool.AddDomain("Domain", new UserPoolDomainOptions { CognitoDomain = new CognitoDomainOptions { DomainPrefix = prefix } });
        else if (props.CustomDomain is { } custom)
        {
            Domain = UserPool.AddDomain("Domain", new UserPoolDomainOptions
            {
                CustomDomain = new CustomDomainOptions
                {
                    DomainName = custom.Name,
                    Certificate = Certificate.FromCertificateArn(this, "DomainCertificate", custom.CertificateArn),
                },
            });
            records.Add(new RequiredDnsRecord(custom.Name, "CNAME", ((CfnUserPoolDomain)Domain.Node.DefaultChild!).AttrCloudFrontDistribution,
                "the user directory's custom domain (sign-in and token endpoints), served by Cognito's CloudFront distribution"));
        }
        RequiredDnsRecords = records;

        var clients = (props.Clients ?? new Dictionary<string, UserDirectoryClient>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var declared = (props.Scopes ?? new Dictionary<string, UserDirectoryScope>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var scopes = new Dictionary<string, ResourceServerScope>(StringComparer.Ordinal)
        {
            [InternalScope] = new(new ResourceServerScopeProps { ScopeName = InternalScope, ScopeDescription = "Service-to-service calls" }),
        };
        foreach (var (name, declaredScope) in declared)
            scopes[name] = new ResourceServerScope(new ResourceServerScopeProps { ScopeName = name, ScopeDescription = declaredScope.Description });
        if (declared.Length > 0 || clients.Any(c => c.Value.Flows?.Contains(OAuthFlow.ClientCredentials) == true || c.Value.Scopes is { Count: > 0 }))
            ResourceServer = UserPool.AddResourceServer("ResourceServer", new UserPoolResourceServerOptions
            {
                Identifier = ResourceServerIdentifier,
                UserPoolResourceServerName = ResourceServerIdentifier,
                Scopes = scopes.Values.ToArray(),
            });

        var created = new Dictionary<string, UserPoolClient>();
        foreach (var (key, client) in clients)
        {
            var flows = client.Flows ?? [];
            var isPublic = client.Public ?? false;
            var machine = flows.Contains(OAuthFlow.ClientCredentials);
            var granted = (client.Scopes ?? (machine ? [InternalScope] : [])).Select(n => OAuthScope.ResourceServer(ResourceServer!, scopes[n]));
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
                    Scopes = machine
                        ? granted.ToArray()
                        : new[] { OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE }.Concat(granted).ToArray(),
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

    private static Dictionary<string, object> Compact(Dictionary<string, object?> values) =>
        values.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!);

    /// <summary>
    /// The OAuth scopes a route may require of tokens from a directory with settings <paramref name="s"/>: the OpenID
    /// scopes and <c>backend/&lt;scope&gt;</c> for the built-in and every declared scope.
    /// </summary>
    public static IReadOnlySet<string> OAuthScopes(UserDirectorySettings s) =>
        UserScopes.Concat(new[] { InternalScope }.Concat((s.Scopes ?? new Dictionary<string, UserDirectoryScope>()).Keys).Select(n => $"{ResourceServerIdentifier}/{n}"))
            .ToHashSet(StringComparer.Ordinal);

    private static PropsValidationException Invalid(string path, object? value, string rule) => new(path, value, rule);

    /// <summary>Checks the settings of a user directory; throws naming the property path, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(UserDirectorySettings s)
    {
        if (s.PasswordMinLength is { } length && (length < 12 || length > 99))
            throw Invalid(nameof(s.PasswordMinLength), length, "must be between 12 and 99");
        if (s.Email is { } email)
        {
            if (!EmailPattern().IsMatch(email.From))
                throw Invalid($"{nameof(s.Email)}.{nameof(email.From)}", email.From, "must be an email address such as no-reply@example.com (optionally as Name <address>)");
            if (!SesIdentityPattern().IsMatch(email.SesIdentityArn))
                throw Invalid($"{nameof(s.Email)}.{nameof(email.SesIdentityArn)}", email.SesIdentityArn, "must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<address or domain>)");
            if (email.ReplyTo is { } replyTo && !EmailPattern().IsMatch(replyTo))
                throw Invalid($"{nameof(s.Email)}.{nameof(email.ReplyTo)}", replyTo, "must be an email address");
        }
        else if (s.SelfSignUp == true && s.AllowCognitoDefaultEmail != true)
            throw Invalid(nameof(s.Email), null, "is required when selfSignUp is true: Cognito's default sender delivers only a few dozen messages a day, so sign-ups stall; give SES settings (from, sesIdentityArn) or set allowCognitoDefaultEmail");
        if (s.DomainPrefix is not null && s.CustomDomain is not null)
            throw Invalid(nameof(s.CustomDomain), s.CustomDomain.Name, "must not be set together with domainPrefix: the directory has one domain");
        if (s.DomainPrefix is { } prefix && (!PrefixPattern().IsMatch(prefix) || ReservedPrefixWords.Any(w => prefix.Contains(w, StringComparison.Ordinal))))
            throw Invalid(nameof(s.DomainPrefix), prefix, "must be lower-case letters, digits and dashes (at most 63, no dash first or last) without aws, amazon or cognito");
        if (s.CustomDomain is { } custom)
        {
            if (!HostPattern().IsMatch(custom.Name))
                throw Invalid($"{nameof(s.CustomDomain)}.{nameof(custom.Name)}", custom.Name, "must be a DNS name such as auth.example.com");
            if (!UsEast1CertificatePattern().IsMatch(custom.CertificateArn))
                throw Invalid($"{nameof(s.CustomDomain)}.{nameof(custom.CertificateArn)}", custom.CertificateArn, "must be an ACM certificate ARN in us-east-1 (Cognito serves custom domains through CloudFront)");
        }
        var declaredScopes = s.Scopes ?? new Dictionary<string, UserDirectoryScope>();
        foreach (var (name, scope) in declaredScopes.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name == InternalScope)
                throw Invalid(nameof(s.Scopes), name, "is built in (an internal scope for client-credentials clients); choose another name");
            if (!ScopePattern().IsMatch(name))
                throw Invalid(nameof(s.Scopes), name, "keys must be lower-case letters, digits, dots and dashes, starting with a letter (at most 40)");
            if (string.IsNullOrWhiteSpace(scope.Description))
                throw Invalid($"{nameof(s.Scopes)}.{name}.{nameof(scope.Description)}", null, "must not be empty");
        }
        bool IsInternal(string scope) => scope == InternalScope || declaredScopes.TryGetValue(scope, out var d) && d.Internal == true;
        var hasDomain = s.DomainPrefix is not null || s.CustomDomain is not null;
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
            if (flows.Count == 0 && (client.CallbackUrls is { Count: > 0 } || client.LogoutUrls is { Count: > 0 } || client.Scopes is { Count: > 0 }))
                throw Invalid($"{at}.{nameof(client.Flows)}", null, "must name an OAuth flow when callbackUrls, logoutUrls or scopes are given");
            if (flows.Count > 0 && !hasDomain)
                throw Invalid($"{at}.{nameof(client.Flows)}", flows.Select(ConfigName), "need a domain (domainPrefix or customDomain): without one the pool has no token endpoint");
            var listed = client.Scopes ?? [];
            for (var i = 0; i < listed.Count; i++)
            {
                if (listed[i] != InternalScope && !declaredScopes.ContainsKey(listed[i]))
                    throw Invalid($"{at}.{nameof(client.Scopes)}[{i}]", listed[i], $"is not a scope; declared: {string.Join(", ", new[] { InternalScope }.Concat(declaredScopes.Keys.Order(StringComparer.Ordinal)))}");
                if (listed.Take(i).Contains(listed[i]))
                    throw Invalid($"{at}.{nameof(client.Scopes)}[{i}]", listed[i], "is listed twice");
                if (IsInternal(listed[i]) && !flows.Contains(OAuthFlow.ClientCredentials))
                    throw Invalid($"{at}.{nameof(client.Scopes)}[{i}]", listed[i], "is an internal scope: only client_credentials clients may be granted it, so no user (self-registered ones included) ever holds it");
            }
            if (flows.Contains(OAuthFlow.ClientCredentials) && client.Scopes is { Count: 0 })
                throw Invalid($"{at}.{nameof(client.Scopes)}", null, "must list at least one scope for a client_credentials client (or be left out for internal)");
        }
    }

    private static string ConfigName(OAuthFlow flow) => flow == OAuthFlow.AuthorizationCode ? "authorization_code" : "client_credentials";

    private static readonly string[] ReservedPrefixWords = ["aws", "amazon", "cognito"];

    [GeneratedRegex(@"^([^<>@\s]+ )*<?[^<>@\s]+@[^<>@\s]+\.[a-z]{2,63}>?$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity/[^\s]+$")]
    private static partial Regex SesIdentityPattern();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]+$")]
    private static partial Regex UsEast1CertificatePattern();

    [GeneratedRegex(@"^[a-z][a-z0-9.-]{0,39}$")]
    private static partial Regex ScopePattern();
}
