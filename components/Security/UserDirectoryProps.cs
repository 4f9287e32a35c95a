namespace ScalableBackend.Components.Security;

/// <summary>Properties of a <see cref="UserDirectory"/>.</summary>
public sealed record UserDirectoryProps : IUserDirectorySettings
{
    /// <summary>The user pool's name. Default: derived by CloudFormation.</summary>
    public string? Name { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: <see cref="MfaMode.Required"/>.</remarks>
    public MfaMode? Mfa { get; init; }

    /// <inheritdoc/>
    /// <remarks>12 to 99. Default: 12. Upper case, lower case, digits and symbols are always required.</remarks>
    public int? PasswordMinLength { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: false (administrators create users).</remarks>
    public bool? SelfSignUp { get; init; }

    /// <inheritdoc/>
    /// <remarks>Default: none.</remarks>
    public IReadOnlyDictionary<string, UserDirectoryClient>? Clients { get; init; }

    /// <summary>Whether CloudFormation may not delete the user pool. Default: true.</summary>
    public bool? DeletionProtection { get; init; }
}
