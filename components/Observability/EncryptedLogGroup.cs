using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace ScalableBackend.Components.Observability;

/// <summary>Properties of a log group made by <see cref="EncryptedLogGroup.Create"/>.</summary>
public sealed record EncryptedLogGroupProps
{
    /// <summary>The KMS key encrypting the log group; CloudWatch Logs in the stack's region must be allowed to use it (see <c>Network.CreateLogKey</c>). Required.</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>How long events are kept. Required: every log group of the project has a retention.</summary>
    public required RetentionDays Retention { get; init; }

    /// <summary>The log group's name, e.g. <c>/backend/prod/api</c>. Default: a name CloudFormation generates.</summary>
    public string? LogGroupName { get; init; }

    /// <summary>What happens to the log group (and its events) when it leaves the stack. Default: <see cref="RemovalPolicy.RETAIN"/>.</summary>
    public RemovalPolicy? RemovalPolicy { get; init; }
}

/// <summary>
/// The one way this project creates CloudWatch log groups: always with a retention and a customer-managed KMS key,
/// retained on delete unless told otherwise. A factory rather than a wrapper construct, so the log group's logical
/// id is exactly <c>scope/id</c> and existing groups keep theirs when they move to it.
/// </summary>
public static class EncryptedLogGroup
{
    /// <summary>Creates the log group <paramref name="id"/> in <paramref name="scope"/>.</summary>
    /// <exception cref="PropsValidationException">The log group name is not a valid CloudWatch Logs name.</exception>
    public static LogGroup Create(Construct scope, string id, EncryptedLogGroupProps props)
    {
        Validate(props);
        return new LogGroup(scope, id, new LogGroupProps
        {
            LogGroupName = props.LogGroupName,
            EncryptionKey = props.EncryptionKey,
            Retention = props.Retention,
            RemovalPolicy = props.RemovalPolicy ?? RemovalPolicy.RETAIN,
        });
    }

    /// <summary>Checks the name; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">The name is empty, longer than 512 characters or has characters CloudWatch Logs rejects.</exception>
    public static void Validate(EncryptedLogGroupProps props)
    {
        if (props.LogGroupName is not { } name || Token.IsUnresolved(name)) return;
        if (name.Length is < 1 or > 512 || !name.All(c => char.IsAsciiLetterOrDigit(c) || "_-/.#".Contains(c)))
            throw new PropsValidationException(nameof(props.LogGroupName), name, "must be 1 to 512 characters: letters, digits, _ - / . #");
    }
}
