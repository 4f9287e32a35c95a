using System.Diagnostics.CodeAnalysis;

namespace ScalableBackend.Components.Security;

/// <summary>Whether users must set up a second factor (TOTP).</summary>
public enum MfaMode
{
    /// <summary>Users may enable TOTP.</summary>
    Optional,
    /// <summary>Every user must use TOTP.</summary>
    Required,
}

/// <summary>
/// Cognito threat protection (compromised credentials, adaptive authentication). Any mode but <see cref="Off"/> needs
/// the Plus feature plan, which the directory then sets; new pools default to Essentials, which rejects it.
/// </summary>
public enum ThreatProtectionMode
{
    /// <summary>No threat protection; the pool stays on the Essentials plan.</summary>
    Off,
    /// <summary>Risky sign-ins are logged, no action is taken (Plus plan).</summary>
    Audit,
    /// <summary>Risky sign-ins are challenged or blocked (Plus plan).</summary>
    Enforced,
}

/// <summary>How the directory sends email: through an Amazon SES identity in the pool's account.</summary>
public sealed record UserDirectoryEmail
{
    /// <summary>The sender address, e.g. <c>no-reply@example.com</c> or <c>Example &lt;no-reply@example.com&gt;</c>; it must belong to the SES identity. Required.</summary>
    public required string From { get; init; }

    /// <summary>The ARN of the verified SES identity (address or domain), e.g. <c>arn:aws:ses:us-east-1:123456789012:identity/example.com</c>. Required.</summary>
    public required string SesIdentityArn { get; init; }

    /// <summary>The reply-to address. Default: none (replies go to <see cref="From"/>).</summary>
    public string? ReplyTo { get; init; }

    /// <summary>The SES configuration set applied to the messages. Default: none.</summary>
    public string? ConfigurationSet { get; init; }
}

/// <summary>A custom domain of the directory's hosted sign-in and token endpoints, e.g. <c>auth.example.com</c>.</summary>
public sealed record UserDirectoryCustomDomain
{
    /// <summary>The domain name. Required.</summary>
    public required string Name { get; init; }

    /// <summary>An ACM certificate in <c>us-east-1</c> (Cognito serves custom domains through CloudFront) that covers <see cref="Name"/>. Required.</summary>
    public required string CertificateArn { get; init; }
}

/// <summary>One OAuth scope of the directory's resource server (<c>backend/&lt;name&gt;</c>).</summary>
public sealed record UserDirectoryScope
{
    /// <summary>What the scope allows. Required.</summary>
    public required string Description { get; init; }

    /// <summary>
    /// Service to service only: only client-credentials clients may be granted it, so no user — a self-registered one
    /// least of all — ever holds it. Default: false.
    /// </summary>
    public bool? Internal { get; init; }
}

/// <summary>An OAuth 2.0 flow an app client may use.</summary>
public enum OAuthFlow
{
    /// <summary>Authorization code grant (with PKCE for public clients): users sign in through the hosted UI.</summary>
    AuthorizationCode,
    /// <summary>Client credentials: a confidential machine client gets tokens for the resource server's scopes.</summary>
    ClientCredentials,
}

/// <summary>One app client of a <see cref="UserDirectory"/>.</summary>
public sealed record UserDirectoryClient
{
    /// <summary>A public client (browser, mobile app) that cannot keep a secret: no client secret. Default: false (a secret is generated).</summary>
    public bool? Public { get; init; }

    /// <summary>The OAuth flows; client credentials cannot be combined with another flow. Default: none (SRP sign-in only, OAuth off).</summary>
    public IReadOnlyList<OAuthFlow>? Flows { get; init; }

    /// <summary>Redirect URLs after sign-in (https, or http://localhost); required with the authorization code flow. Default: none.</summary>
    public IReadOnlyList<string>? CallbackUrls { get; init; }

    /// <summary>Redirect URLs after sign-out. Default: none.</summary>
    public IReadOnlyList<string>? LogoutUrls { get; init; }

    /// <summary>
    /// Names of the resource server's scopes (<see cref="UserDirectorySettings.Scopes"/>, or the built-in
    /// <see cref="UserDirectory.InternalScope"/>) the client may request. Internal scopes only for client-credentials
    /// clients. Default: a client-credentials client gets <c>internal</c>; a user client gets only openid, email and profile.
    /// </summary>
    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>
/// The plain-data settings of a <see cref="UserDirectory"/> — everything but what the stack names itself. A data
/// file's record derives from it, so both are validated by <see cref="UserDirectory.Validate"/> with one set of rules
/// and one set of documented defaults.
/// </summary>
public record UserDirectorySettings
{
    /// <summary>Whether users must use TOTP. Default: <see cref="MfaMode.Required"/>.</summary>
    public MfaMode? Mfa { get; init; }

    /// <summary>
    /// The minimum password length, 12 to 99. Default: 12. Upper case, lower case, digits and symbols are always
    /// required.
    /// </summary>
    public int? PasswordMinLength { get; init; }

    /// <summary>Whether users may sign themselves up. Default: false (administrators create users).</summary>
    public bool? SelfSignUp { get; init; }

    /// <summary>The app clients, keyed by a stable name. Default: none.</summary>
    public IReadOnlyDictionary<string, UserDirectoryClient>? Clients { get; init; }

    /// <summary>Whether CloudFormation may not delete the user pool. Default: true.</summary>
    public bool? DeletionProtection { get; init; }

    /// <summary>Threat protection; any mode but off puts the pool on the Plus feature plan (priced per active user). Default: <see cref="ThreatProtectionMode.Off"/>.</summary>
    public ThreatProtectionMode? ThreatProtection { get; init; }

    /// <summary>
    /// Send the directory's email through Amazon SES. Required when <see cref="SelfSignUp"/> is on, unless
    /// <see cref="AllowCognitoDefaultEmail"/> says otherwise: Cognito's own sender delivers only a few dozen messages a
    /// day. Default: Cognito's default sender.
    /// </summary>
    public UserDirectoryEmail? Email { get; init; }

    /// <summary>Accept Cognito's default email sender (a low daily limit) with self sign-up, e.g. for a throw-away environment. Default: false.</summary>
    public bool? AllowCognitoDefaultEmail { get; init; }

    /// <summary>
    /// The prefix of the Cognito domain (<c>&lt;prefix&gt;.auth.&lt;region&gt;.amazoncognito.com</c>) that serves the sign-in and
    /// token endpoints; unique in the region. One of it or <see cref="CustomDomain"/> is required when a client uses an
    /// OAuth flow. Default: none.
    /// </summary>
    public string? DomainPrefix { get; init; }

    /// <summary>A custom domain for the sign-in and token endpoints instead of <see cref="DomainPrefix"/>. Default: none.</summary>
    public UserDirectoryCustomDomain? CustomDomain { get; init; }

    /// <summary>
    /// The OAuth scopes of the resource server <c>backend</c>, keyed by name (routes require them as
    /// <c>backend/&lt;name&gt;</c>). <see cref="UserDirectory.InternalScope"/> is built in and internal. Default: none besides it.
    /// </summary>
    public IReadOnlyDictionary<string, UserDirectoryScope>? Scopes { get; init; }
}

/// <summary>Properties of a <see cref="UserDirectory"/>: its <see cref="UserDirectorySettings"/> and its name.</summary>
public sealed record UserDirectoryProps : UserDirectorySettings
{
    /// <summary>Creates empty props, to be filled by an object initializer.</summary>
    public UserDirectoryProps() { }

    /// <summary>Props from <paramref name="settings"/> (for example a data file's record).</summary>
    [SetsRequiredMembers]
    public UserDirectoryProps(UserDirectorySettings settings) : base(settings) { }

    /// <summary>The user pool's name. Default: derived by CloudFormation.</summary>
    public string? Name { get; init; }
}
