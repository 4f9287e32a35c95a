using System.Text.Json.Nodes;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using ScalableBackend.Components.Data;
using ScalableBackend.Components.Tests.Support;

namespace ScalableBackend.Components.Tests.Data;

/// <summary>
/// The wiring of <see cref="DatabaseUsers"/> in <see cref="ShardedDatabaseFixture"/>'s database (users <c>svc_api</c>,
/// <c>svc_other</c>; shards 1 and 2): one function, one <c>Custom::DatabaseUsers</c> per shard, the only reader of
/// the master secrets besides rotation and the proxies. The SQL itself runs against PostgreSQL in Sharding.Tests.
/// </summary>
public sealed class DatabaseUsersTests(ShardedDatabaseFixture fixture) : IClassFixture<ShardedDatabaseFixture>
{
    private (string Id, JsonObject Resource) Function =>
        Assert.Single(fixture.Stack.OfType("AWS::Lambda::Function"), f => f.Id.StartsWith("DatabaseUsersFunction", StringComparison.Ordinal));

    private JsonObject[] UsersResources => fixture.Stack.OfType(DatabaseUsers.ResourceType).Select(r => r.Resource).ToArray();

    [Fact]
    public void EveryShardGetsOneUsersResourceListingEveryUserOnItsWriter()
    {
        var resources = fixture.Stack.OfType(DatabaseUsers.ResourceType).ToArray();
        Assert.Equal(2, resources.Length);
        Assert.Contains(resources, r => r.Id.StartsWith("DatabaseShard1Users", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.Id.StartsWith("DatabaseShard2Users", StringComparison.Ordinal));
        foreach (var (id, resource) in resources)
        {
            var shard = id[..id.IndexOf("Users", StringComparison.Ordinal)];
            var p = resource["Properties"]!;
            Assert.Equal($"[\"{Function.Id}\",\"Arn\"]", p["ServiceToken"]!["Fn::GetAtt"]!.ToJsonString());
            Assert.Equal("[\"svc_api\",\"svc_other\"]", p["Users"]!.ToJsonString());
            Assert.Equal("postgres", (string?)p["Database"]);
            Assert.StartsWith($"{shard}InstanceSecretAttachment", (string)p["SecretArn"]!["Ref"]!);
            Assert.StartsWith($"{shard}Instance", (string)p["Host"]!["Fn::GetAtt"]![0]!);
            Assert.Equal("Endpoint.Address", (string)p["Host"]!["Fn::GetAtt"]![1]!);
            Assert.Equal("Endpoint.Port", (string)p["Port"]!["Fn::GetAtt"]![1]!);
            // Removing a user or the resource revokes login only; CloudFormation's default would be the same, said here.
            Assert.Equal("Delete", (string?)resource["DeletionPolicy"]);
            // The function can reach the shard before it is asked to.
            var dependsOn = resource["DependsOn"]!.AsArray().Select(d => (string)d!).ToArray();
            Assert.Equal(2, dependsOn.Length);
            Assert.Contains(dependsOn, d => d.StartsWith("DatabaseUsersShardIngress", StringComparison.Ordinal));
            Assert.Contains(dependsOn, d => d.StartsWith("DatabaseUsersShardEgress", StringComparison.Ordinal));
        }
        // The relaxed database declares no users: no function, no resource.
        Assert.DoesNotContain(fixture.Stack.Resources, r => r.Id.StartsWith("RelaxedUsers", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFunctionRunsTheLatestNodeInTheVpcWithTheBundledHandler()
    {
        var p = Function.Resource["Properties"]!;
        Assert.Equal(DatabaseUsers.HandlerRuntime.Name, (string?)p["Runtime"]);
        Assert.Equal("nodejs24.x", (string?)p["Runtime"]);
        Assert.Equal("index.handler", (string?)p["Handler"]);
        Assert.NotNull(p["Code"]!["S3Bucket"]);
        Assert.EndsWith(".zip", (string)p["Code"]!["S3Key"]!);
        Assert.Equal("/var/runtime/ca-cert.pem", (string?)p["Environment"]!["Variables"]!["NODE_EXTRA_CA_CERTS"]);
        Assert.All(p["VpcConfig"]!["SubnetIds"]!.AsArray(), s => Assert.Contains("Private", (string)s!["Ref"]!));
        Assert.StartsWith("DatabaseUsersSecurityGroup", (string)p["VpcConfig"]!["SecurityGroupIds"]![0]!["Fn::GetAtt"]![0]!);
        // Created after its policy (Lambda checks the network-interface permissions), and nothing redundant (W3005).
        var dependsOn = Assert.Single(Function.Resource["DependsOn"]!.AsArray());
        Assert.StartsWith("DatabaseUsersPolicy", (string)dependsOn!);
    }

    [Fact]
    public void TheFunctionsRoleReadsExactlyTheMasterSecretsWithoutManagedPolicies()
    {
        var role = fixture.Stack.OfType("AWS::IAM::Role").Single(r => r.Id.StartsWith("DatabaseUsersRole", StringComparison.Ordinal));
        Assert.Null(role.Resource["Properties"]!["ManagedPolicyArns"]);
        var policy = fixture.Stack.OfType("AWS::IAM::Policy").Single(p => p.Id.StartsWith("DatabaseUsersPolicy", StringComparison.Ordinal)).Resource;
        Assert.Equal(role.Id, (string)policy["Properties"]!["Roles"]![0]!["Ref"]!);
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToArray();
        var secrets = statements.Single(s => (string?)s["Sid"] == "ReadTheMasterSecrets");
        Assert.Equal("\"secretsmanager:GetSecretValue\"", secrets["Action"]!.ToJsonString());
        var arns = secrets["Resource"]!.AsArray().Select(r => (string)r!["Ref"]!).ToArray();
        Assert.Equal(2, arns.Length);
        Assert.StartsWith("DatabaseShard1InstanceSecretAttachment", arns[0]);
        Assert.StartsWith("DatabaseShard2InstanceSecretAttachment", arns[1]);
        var decrypt = statements.Single(s => (string?)s["Sid"] == "DecryptThemThroughSecretsManager");
        Assert.Equal("secretsmanager.us-east-1.amazonaws.com", (string?)decrypt["Condition"]!["StringEquals"]!["kms:ViaService"]);
        // Only the network-interface actions, which have no resource-level permissions, use *; acknowledged for both packs.
        var wildcard = statements.Where(s => s["Resource"]!.ToJsonString() == "\"*\"").ToArray();
        Assert.Equal("ManageTheFunctionsNetworkInterfaces", (string?)Assert.Single(wildcard)["Sid"]);
        Assert.All(wildcard[0]["Action"]!.AsArray(), a => Assert.StartsWith("ec2:", (string)a!));
        var acknowledged = policy["Metadata"]!["cdk_nag"]!["rules_to_suppress"]!.AsArray().Single(r => (string)r!["id"]! == "AwsSolutions-IAM5")!;
        Assert.Equal("[\"Resource::*\"]", acknowledged["applies_to"]!.ToJsonString());
        Assert.Contains("network interfaces", (string)acknowledged["reason"]!);
    }

    [Fact]
    public void TheFunctionSendsOnlyHttpsOutAndPostgresToTheShards()
    {
        var group = fixture.Stack.OfType("AWS::EC2::SecurityGroup").Single(g => g.Id.StartsWith("DatabaseUsersSecurityGroup", StringComparison.Ordinal));
        var egress = group.Resource["Properties"]!["SecurityGroupEgress"]!.AsArray();
        var https = Assert.Single(egress);
        Assert.Equal("0.0.0.0/0", (string?)https!["CidrIp"]);
        Assert.Equal(443, (int)https["FromPort"]!);
        var toShards = Assert.Single(fixture.Stack.OfType("AWS::EC2::SecurityGroupEgress"),
            e => (string?)e.Resource["Properties"]!["GroupId"]!["Fn::GetAtt"]![0] == group.Id).Resource["Properties"]!;
        Assert.Equal(5432, (int)toShards["FromPort"]!);
        Assert.StartsWith("DatabaseSecurityGroup", (string)toShards["DestinationSecurityGroupId"]!["Fn::GetAtt"]![0]!);
        var fromFunction = Assert.Single(fixture.Stack.OfType("AWS::EC2::SecurityGroupIngress"),
            i => i.Resource["Properties"]!["SourceSecurityGroupId"]?["Fn::GetAtt"]?[0]?.GetValue<string>() == group.Id).Resource["Properties"]!;
        Assert.Equal(5432, (int)fromFunction["FromPort"]!);
        Assert.StartsWith("DatabaseSecurityGroup", (string)fromFunction["GroupId"]!["Fn::GetAtt"]![0]!);
    }

    [Fact]
    public void UsersNeedALogKeyAndValidNames()
    {
        var (stack, vpc) = DataTestStacks.WithVpc();
        ShardedDatabaseProps Props(IKey? logKey, params string[] users) => new()
        {
            Vpc = vpc,
            InstanceType = new InstanceType("t4g.micro"),
            Shards = DataTestStacks.EvenShards(1),
            DatabaseUsers = users,
            LogEncryptionKey = logKey,
        };
        var withoutKey = Assert.Throws<PropsValidationException>(() => new ShardedDatabase(stack, "NoKey", Props(null, "svc_api")));
        Assert.Contains("logEncryptionKey", withoutKey.Message, StringComparison.OrdinalIgnoreCase);
        var badName = Assert.Throws<PropsValidationException>(() => new ShardedDatabase(stack, "BadName", Props(new Key(stack, "Key"), "svc-api")));
        Assert.Contains("lower-case letters, digits and underscores", badName.Message);
    }
}
