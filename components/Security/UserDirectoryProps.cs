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
