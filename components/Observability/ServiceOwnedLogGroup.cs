using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.CustomResources;
using Constructs;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Observability;

/// <summary>Properties of a <see cref="ServiceOwnedLogGroup"/>.</summary>
public sealed record ServiceOwnedLogGroupProps
{
    /// <summary>
    /// The name the service writes to, usually built from the resource's id at deploy time, e.g.
    /// <c>/aws/amazonmq/broker/${BrokerId}/general</c>. Required.
    /// </summary>
    public required string LogGroupName { get; init; }

    /// <summary>The KMS key the group is encrypted with; CloudWatch Logs in the stack's region must be allowed to use it. Required.</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>How long events are kept. Required: every log group of the project has a retention.</summary>
    public required RetentionDays Retention { get; init; }

    /// <summary>The group the custom resource's own function logs to (encrypted, with a retention). Required.</summary>
    public required ILogGroup HandlerLogGroup { get; init; }
}

/// <summary>
/// A log group a service creates for itself under a name it picks at creation — Amazon MQ for RabbitMQ writes its
/// general log to <c>/aws/amazonmq/broker/&lt;broker id&gt;/general</c> through its service-linked role, and CloudFormation
/// cannot declare that group first (the id exists only once the broker does) — given the project's retention and key
/// after the fact. Three CloudWatch Logs calls through CDK's <see cref="AwsCustomResource"/>, on create and on update:
/// <c>CreateLogGroup</c> with the key (a group the service already made is kept: <c>ResourceAlreadyExistsException</c>
/// is ignored), <c>AssociateKmsKey</c> (for that case) and <c>PutRetentionPolicy</c>. Nothing happens on delete: the
/// events stay, as every log group of the project is retained. The function may call exactly these three actions on
/// exactly this group.
/// </summary>
public sealed class ServiceOwnedLogGroup : Construct
{
    /// <summary>The group's ARN (without the <c>:*</c> suffix).</summary>
    public string LogGroupArn { get; }

    // AwsCustomResource's provider function, one per stack (the id CDK gives its SingletonFunction).
    private const string SingletonId = "AWS679f53fac002430cb0da5b7982bd2287";

    /// <summary>Creates the custom resources; <paramref name="props"/>' name may be a token.</summary>
    public ServiceOwnedLogGroup(Construct scope, string id, ServiceOwnedLogGroupProps props) : base(scope, id)
    {
        var name = props.LogGroupName;
        var stack = Stack.Of(this);
        LogGroupArn = stack.FormatArn(new ArnComponents
        {
            Service = "logs", Resource = "log-group", ResourceName = name, ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });
        var policy = AwsCustomResourcePolicy.FromStatements(
        [
            new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["logs:CreateLogGroup", "logs:AssociateKmsKey", "logs:PutRetentionPolicy"],
                Resources = [LogGroupArn, $"{LogGroupArn}:*"],
            }),
            // The function's own logs, in place of AWS's AWSLambdaBasicExecutionRole (logs on every group; removed below).
            new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resources = [props.HandlerLogGroup.LogGroupArn],
            }),
        ]);
        var days = LogRetention.ToDays(props.Retention); // the API's number of days (the enum's own value is not)
        AwsCustomResource Call(string callId, string action, Dictionary<string, object> parameters, string? ignore = null) =>
            new(this, callId, new AwsCustomResourceProps
            {
                OnCreate = Sdk(action, parameters, ignore),
                OnUpdate = Sdk(action, parameters, ignore),
                Policy = policy,
                InstallLatestAwsSdk = false,
                LogGroup = props.HandlerLogGroup,
            });
        AwsSdkCall Sdk(string action, Dictionary<string, object> parameters, string? ignore) => new()
        {
            Service = "CloudWatchLogs",
            Action = action,
            Parameters = parameters,
            PhysicalResourceId = PhysicalResourceId.Of(name),
            IgnoreErrorCodesMatching = ignore,
        };
        var create = Call("Create", "createLogGroup",
            new() { ["logGroupName"] = name, ["kmsKeyId"] = props.EncryptionKey.KeyArn }, "ResourceAlreadyExistsException");
        var key = Call("Key", "associateKmsKey", new() { ["logGroupName"] = name, ["kmsKeyId"] = props.EncryptionKey.KeyArn });
        var retention = Call("Retention", "putRetentionPolicy", new() { ["logGroupName"] = name, ["retentionInDays"] = days });
        key.Node.AddDependency(create);
        retention.Node.AddDependency(create);
        // The calls' one function (CDK's singleton provider): this CDK version writes nodejs20.x, whose creation Lambda
        // disables on 2027-02-01; its handler uses only the runtime's AWS SDK v3, which nodejs24.x ships too.
        if (stack.Node.TryFindChild(SingletonId) is Construct singleton && singleton.Node.DefaultChild is Amazon.CDK.AWS.Lambda.CfnFunction function)
        {
            function.AddPropertyOverride("Runtime", "nodejs24.x");
            // The role is already a dependency through GetAtt (AWS's validator, W3005).
            function.AddDeletionOverride("DependsOn");
            if (singleton.Node.TryFindChild("ServiceRole")?.Node.DefaultChild is CfnResource role)
                role.AddPropertyDeletionOverride("ManagedPolicyArns");
        }
        foreach (var call in new[] { create, key, retention })
            PolicyAcknowledgement.Apply(call.Node.FindChild("CustomResourcePolicy"), new PolicyAcknowledgement(
                @"AwsSolutions-IAM5[/^Resource::(arn:<AWS::Partition>:logs:.*:log-group:.*|<.*HandlerLogs.*\.Arn>):\*$/]",
                "CloudWatch Logs names a log group's streams with the :* suffix of its ARN; each statement is on one group only (the service's, and the function's own)."));
    }
}
