using System.Reflection;
using System.Security.Cryptography;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.RDS;
using Constructs;
using ScalableBackend.Components.Observability;
using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Data;

/// <summary>Properties of <see cref="DatabaseUsers"/>, given by <see cref="ShardedDatabase"/>.</summary>
internal sealed record DatabaseUsersProps
{
    /// <summary>The PostgreSQL roles to create in every shard (validated names).</summary>
    public required IReadOnlyList<string> Users { get; init; }

    /// <summary>The shards: the scope each shard's custom resource is created in, and its writer.</summary>
    public required IReadOnlyList<(Construct Scope, DatabaseInstance Writer)> Shards { get; init; }

    /// <summary>The VPC of the shards.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>Subnets from which the function reaches the Secrets Manager API, CloudFormation's response URL (S3) and the shards.</summary>
    public required SubnetSelection Subnets { get; init; }

    /// <summary>The shards' security group: admits the function on 5432.</summary>
    public required ISecurityGroup DatabaseSecurityGroup { get; init; }

    /// <summary>The key of the master secrets.</summary>
    public required IKey SecretKey { get; init; }

    /// <summary>The key of the function's log group.</summary>
    public required IKey LogEncryptionKey { get; init; }

    /// <summary>The function's log retention.</summary>
    public required RetentionDays LogRetention { get; init; }
}

/// <summary>
/// The PostgreSQL roles of a <see cref="ShardedDatabase"/>'s users in every shard: one function (Node.js, in the VPC)
/// and one <c>Custom::DatabaseUsers</c> resource per shard (the child <c>Users</c> of the shard's scope), which
/// connects to the writer as the master user over verified TLS and, for each user, idempotently creates the role with
/// <c>LOGIN</c>, grants it <c>rds_iam</c> (IAM authentication only) and <c>CONNECT</c> on the <c>postgres</c> database,
/// and gives it a schema of its own (named after it, first on its default <c>search_path</c>); sharing a table between
/// users is the owning application's <c>GRANT</c>. A user dropped from the list, or every user when the resource is
/// deleted, loses <c>LOGIN</c> only: nothing is dropped, and adding it back restores it. The function is the only
/// reader of the master secrets besides their rotation and the proxies.
/// </summary>
public sealed class DatabaseUsers : Construct
{
    /// <summary>The CloudFormation type of the per-shard resources.</summary>
    public const string ResourceType = "Custom::DatabaseUsers";

    /// <summary>The database the roles get <c>CONNECT</c> and their schema in: the one RDS creates, which the shard router uses by default.</summary>
    public const string DatabaseName = "postgres";

    /// <summary>The function's runtime: Lambda's latest Node.js (AwsSolutions-L1).</summary>
    public static readonly Runtime HandlerRuntime = new("nodejs24.x", RuntimeFamily.NODEJS);

    /// <summary>The function that manages the roles.</summary>
    public Function Function { get; }

    /// <summary>The function's security group: HTTPS out, PostgreSQL to the shards.</summary>
    public SecurityGroup SecurityGroup { get; }

    /// <summary>The function's log group (encrypted, with the database's log retention).</summary>
    public LogGroup LogGroup { get; }

    /// <summary>The per-shard resources, in shard order.</summary>
    public IReadOnlyList<CustomResource> Resources { get; }

    internal DatabaseUsers(Construct scope, string id, DatabaseUsersProps props) : base(scope, id)
    {
        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = $"Database users function of {scope.Node.Path}: HTTPS to Secrets Manager and CloudFormation, PostgreSQL to the shards",
            AllowAllOutbound = false,
        });
        SecurityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS to Secrets Manager and CloudFormation's response URL");
        // PostgreSQL between the two groups, as rules of their own here: the per-shard resources wait for exactly these.
        var toShards = new CfnSecurityGroupEgress(this, "ShardEgress", new CfnSecurityGroupEgressProps
        {
            GroupId = SecurityGroup.SecurityGroupId,
            DestinationSecurityGroupId = props.DatabaseSecurityGroup.SecurityGroupId,
            IpProtocol = "tcp",
            FromPort = ShardedDatabase.Port,
            ToPort = ShardedDatabase.Port,
            Description = "PostgreSQL to the shards",
        });
        var fromFunction = new CfnSecurityGroupIngress(this, "ShardIngress", new CfnSecurityGroupIngressProps
        {
            GroupId = props.DatabaseSecurityGroup.SecurityGroupId,
            SourceSecurityGroupId = SecurityGroup.SecurityGroupId,
            IpProtocol = "tcp",
            FromPort = ShardedDatabase.Port,
            ToPort = ShardedDatabase.Port,
            Description = "PostgreSQL from the database users function",
        });

        LogGroup = EncryptedLogGroup.Create(this, "Logs", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogEncryptionKey,
            Retention = props.LogRetention,
        });
        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"Creates the database users' roles in the shards of {scope.Node.Path}",
        });
        var region = Stack.Of(this).Region;
        var policy = new Policy(this, "Policy", new PolicyProps
        {
            Roles = [role],
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "WriteOwnLogs",
                    Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resources = [LogGroup.LogGroupArn],
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "ReadTheMasterSecrets",
                    Actions = ["secretsmanager:GetSecretValue"],
                    Resources = props.Shards.Select(s => s.Writer.Secret!.SecretArn).ToArray(),
                }),
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "DecryptThemThroughSecretsManager",
                    Actions = ["kms:Decrypt"],
                    Resources = [props.SecretKey.KeyArn],
                    Conditions = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"secretsmanager.{region}.amazonaws.com" },
                    },
                }),
                // What AWSLambdaVPCAccessExecutionRole grants, without the managed policy (AwsSolutions-IAM4).
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "ManageTheFunctionsNetworkInterfaces",
                    Actions =
                    [
                        "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
                        "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
                    ],
                    Resources = ["*"],
                }),
            ],
        });
        PolicyAcknowledgement.Apply(policy, PolicyAcknowledgement.ForRules(
            "Lambda creates and deletes the function's network interfaces in the VPC; the EC2 describe and network-interface " +
            "actions it needs (those of AWSLambdaVPCAccessExecutionRole) support no resource-level permissions. Every other statement names its resource.",
            "SB-IAM-002", "AwsSolutions-IAM5[Resource::*]"));

        Function = new Function(this, "Function", new FunctionProps
        {
            Description = $"Creates the IAM-authenticated database users in every shard of {scope.Node.Path} (Custom::DatabaseUsers)",
            Runtime = HandlerRuntime,
            Handler = "index.handler",
            Code = Code.FromAsset(StagedHandler()),
            Role = role,
            LogGroup = LogGroup,
            Vpc = props.Vpc,
            VpcSubnets = props.Subnets,
            SecurityGroups = [SecurityGroup],
            AllowPublicSubnet = false,
            MemorySize = 256,
            Timeout = Duration.Minutes(5),
            Architecture = Architecture.ARM_64,
            Environment = new Dictionary<string, string>
            {
                // Node.js 20 and later runtimes load the RDS certificate authorities only when asked (Lambda's Node.js guide).
                ["NODE_EXTRA_CA_CERTS"] = "/var/runtime/ca-cert.pem",
            },
        });
        // Lambda checks the network-interface permissions when it creates the function: the policy first. The role is
        // already referenced (W3005), so that is the only dependency.
        var cfnFunction = (CfnResource)Function.Node.DefaultChild!;
        cfnFunction.AddOverride("DependsOn", new[] { Stack.Of(this).GetLogicalId((CfnElement)policy.Node.DefaultChild!) });

        Resources = props.Shards.Select(shard =>
        {
            var resource = new CustomResource(shard.Scope, "Users", new CustomResourceProps
            {
                ServiceToken = Function.FunctionArn,
                ResourceType = ResourceType,
                Properties = new Dictionary<string, object>
                {
                    ["SecretArn"] = shard.Writer.Secret!.SecretArn,
                    ["Host"] = shard.Writer.DbInstanceEndpointAddress,
                    ["Port"] = shard.Writer.DbInstanceEndpointPort,
                    ["Database"] = DatabaseName,
                    ["Users"] = props.Users.ToArray(),
                },
            });
            // The function must be able to reach the shard: both rules before the first request.
            resource.Node.AddDependency(toShards, fromFunction);
            return resource;
        }).ToArray();
    }

    /// <summary>The embedded handler bundle (the handler and pg, from esbuild) written once into a folder named after its hash.</summary>
    private static string StagedHandler()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ScalableBackend.Components.Data.database-users.js")
            ?? throw new InvalidOperationException("the database-users handler is not embedded in ScalableBackend.Components (built without `npm ci`?)");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var folder = Path.Combine(Path.GetTempPath(), "scalable-backend-assets", "database-users-" + Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant());
        var file = Path.Combine(folder, "index.js");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, $".index.js.{System.Environment.ProcessId}.{Guid.NewGuid():N}");
            File.WriteAllBytes(temporary, bytes);
            try { File.Move(temporary, file, overwrite: false); }
            catch (IOException) when (File.Exists(file)) { File.Delete(temporary); } // another process staged it first
        }
        return folder;
    }
}
