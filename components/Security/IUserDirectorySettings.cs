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

/// <summary>The plain-data settings of a <see cref="UserDirectory"/>, validated by <see cref="UserDirectory.Validate"/>.</summary>
public interface IUserDirectorySettings
{
    /// <summary>Whether users must use TOTP.</summary>
    MfaMode? Mfa { get; }
    /// <summary>The minimum password length.</summary>
    int? PasswordMinLength { get; }
    /// <summary>Whether users may sign themselves up.</summary>
    bool? SelfSignUp { get; }
    /// <summary>The app clients, keyed by a stable name.</summary>
    IReadOnlyDictionary<string, UserDirectoryClient>? Clients { get; }
}
