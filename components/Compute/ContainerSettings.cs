using System.Text.RegularExpressions;
using Amazon.CDK;

namespace ScalableBackend.Components.Compute;

/// <summary>
/// A secret a container receives in an environment variable, read at boot by the instance (never written into a
/// template or user data): exactly one of <see cref="SecretsManager"/> or <see cref="SsmParameter"/>.
/// </summary>
public sealed record ContainerSecret
{
    /// <summary>A Secrets Manager secret by name (e.g. <c>prod/stripe</c>) or ARN; its <c>SecretString</c> is the value. Default: none.</summary>
    public string? SecretsManager { get; init; }

    /// <summary>An SSM parameter by name (e.g. <c>/backend/prod/stripe-key</c>), decrypted when a SecureString. Default: none.</summary>
    public string? SsmParameter { get; init; }
}

/// <summary>
/// What a service or worker runs: a container image, its command, environment and secrets. At boot the instance
/// installs Docker if missing, signs in to ECR when the image is there, pulls the image, and runs it with
/// <c>--restart on-failure</c>, host networking (so the SDKs inside reach the instance role through IMDSv2 with hop
/// limit 1) and its output going to the service's log group (Docker's awslogs driver, one stream per instance).
/// </summary>
public partial record ContainerSettings
{
    /// <summary>
    /// The image, pinned by tag or digest: <c>orders-api:1.4.2</c> or <c>orders-api@sha256:…</c> (a repository of the
    /// account's ECR in the stack's region), or a full reference such as
    /// <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api@sha256:…</c> or <c>ghcr.io/acme/api:1.4.2</c> (a public
    /// registry; pulled without credentials). <c>latest</c> and references without a tag or digest are refused. Required.
    /// </summary>
    public required string Image { get; init; }

    /// <summary>The command and its arguments, replacing the image's default command. Default: the image's.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Plain environment variables (never secrets: they are written into the template). Default: none.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Environment variables whose values are secrets, read at boot. Default: none.</summary>
    public IReadOnlyDictionary<string, ContainerSecret>? Secrets { get; init; }

    /// <summary>
    /// For workers: how long the container must keep running after it starts before the instance reports success,
    /// 5–600 seconds. Services report success when their target group says the instance is healthy. Default: 30 seconds.
    /// </summary>
    public Duration? StartupCheck { get; init; }

    [GeneratedRegex(@"^[A-Z_][A-Z0-9_]{0,127}$")]
    private static partial Regex VariablePattern();

    /// <summary>True for an environment variable name: upper-case letters, digits and underscores, not starting with a digit.</summary>
    public static bool IsVariableName(string name) => VariablePattern().IsMatch(name);

    /// <summary>Checks the settings; throws naming the property path (under <paramref name="path"/>), the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is invalid.</exception>
    public static void Validate(ContainerSettings s, string path = "Container")
    {
        _ = ContainerImageReference.Parse(s.Image, $"{path}.{nameof(Image)}");
        foreach (var name in s.Environment?.Keys ?? [])
            if (!IsVariableName(name))
                throw new PropsValidationException($"{path}.{nameof(Environment)}.{name}", name, "must be an environment variable name: A-Z, 0-9 and _, not starting with a digit");
        foreach (var (name, secret) in s.Secrets ?? new Dictionary<string, ContainerSecret>())
        {
            if (!IsVariableName(name))
                throw new PropsValidationException($"{path}.{nameof(Secrets)}.{name}", name, "must be an environment variable name: A-Z, 0-9 and _, not starting with a digit");
            if (s.Environment?.ContainsKey(name) == true)
                throw new PropsValidationException($"{path}.{nameof(Secrets)}.{name}", name, "is also a plain environment variable; give it once");
            if ((secret.SecretsManager is null) == (secret.SsmParameter is null))
                throw new PropsValidationException($"{path}.{nameof(Secrets)}.{name}", null, "must give exactly one of secretsManager or ssmParameter");
        }
        if (s.StartupCheck is { } check && !check.IsUnresolved() && (check.ToSeconds() < 5 || check.ToSeconds() > 600))
            throw new PropsValidationException($"{path}.{nameof(StartupCheck)}", $"{check.ToSeconds()}s", "must be between 5s and 600s");
        foreach (var arg in s.Command ?? [])
            if (arg.Contains('\n') || arg.Contains('\0'))
                throw new PropsValidationException($"{path}.{nameof(Command)}", arg, "arguments must be single lines");
    }
}

/// <summary>A parsed image reference: registry (null for the account's ECR), repository, and tag or digest.</summary>
/// <param name="Registry">The registry host, e.g. <c>ghcr.io</c> or <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c>; null for the account's own ECR in the stack's region.</param>
/// <param name="Repository">The repository path, e.g. <c>orders-api</c> or <c>acme/api</c>.</param>
/// <param name="Tag">The tag, when pinned by tag.</param>
/// <param name="Digest">The digest (<c>sha256:…</c>), when pinned by digest.</param>
public sealed partial record ContainerImageReference(string? Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>True when the image is in Amazon ECR (the account's, or a registry host of the form <c>&lt;account&gt;.dkr.ecr.&lt;region&gt;.amazonaws.com</c>).</summary>
    public bool IsEcr => Registry is null || EcrHost().IsMatch(Registry);

    /// <summary>The ECR registry's account and region, for an ECR host; null for the account's own ECR or another registry.</summary>
    public (string Account, string Region)? EcrAccountAndRegion =>
        Registry is not null && EcrHost().Match(Registry) is { Success: true } m ? (m.Groups[1].Value, m.Groups[2].Value) : null;

    /// <summary>The reference without its registry: <c>repository:tag</c> or <c>repository@digest</c>.</summary>
    public string Pinned => Digest is not null ? $"{Repository}@{Digest}" : $"{Repository}:{Tag}";

    /// <summary>Parses <paramref name="image"/>; throws naming <paramref name="path"/> when it is not a pinned reference.</summary>
    /// <exception cref="PropsValidationException">Not an image reference, or neither tag nor digest, or the tag <c>latest</c>.</exception>
    public static ContainerImageReference Parse(string image, string path = "Image")
    {
        var m = ImagePattern().Match(image ?? "");
        if (!m.Success)
            throw new PropsValidationException(path, image, "must be an image reference such as orders-api:1.4.2, orders-api@sha256:<64 hex digits> or ghcr.io/acme/api:1.4.2");
        var registry = m.Groups["registry"].Success ? m.Groups["registry"].Value : null;
        var repository = m.Groups["repo"].Value;
        var tag = m.Groups["tag"].Success ? m.Groups["tag"].Value : null;
        var digest = m.Groups["digest"].Success ? m.Groups["digest"].Value : null;
        if (tag is null && digest is null)
            throw new PropsValidationException(path, image, "must be pinned by a tag (orders-api:1.4.2) or a digest (orders-api@sha256:…), so a deploy runs exactly what was reviewed");
        if (digest is null && tag == "latest")
            throw new PropsValidationException(path, image, "must not use the tag latest: pin a version tag or a digest, so a change of image is a visible diff");
        return new ContainerImageReference(registry, repository, tag, digest);
    }

    // [registry/]repository[:tag][@sha256:digest]; a first segment with a dot, a colon or "localhost" is a registry host.
    [GeneratedRegex(@"^(?:(?<registry>(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(?::[0-9]+)?|localhost(?::[0-9]+)?)/)?(?<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$")]
    private static partial Regex EcrHost();
}
