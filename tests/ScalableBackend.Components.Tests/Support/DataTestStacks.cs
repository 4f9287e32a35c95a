using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Constructs;
using ScalableBackend.Components.Caching;
using ScalableBackend.Components.Data;

namespace ScalableBackend.Components.Tests.Support;

/// <summary>A user of a data store: a security group and a role, as a service would have.</summary>
public sealed record TestUser(ISecurityGroup SecurityGroup, IRole Role);

/// <summary>
/// Builders for the small stacks the data-tier tests synthesize: a VPC with isolated and private subnets over two explicit zones
/// (no lookups), a user, and one data component. Synthesize each stack once per test class (a class fixture).
/// </summary>
public static class DataTestStacks
{
    /// <summary>A stack in us-east-1 with a VPC (public, private with one NAT gateway, and isolated subnets over two zones), like <c>Network</c>'s.</summary>
    public static (Stack Stack, IVpc Vpc) WithVpc()
    {
        var stack = TestStacks.Empty();
        var vpc = new Vpc(stack, "Vpc", new VpcProps
        {
            AvailabilityZones = ["us-east-1a", "us-east-1b"],
            NatGateways = 1,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "Public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "Private", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 24 },
                new SubnetConfiguration { Name = "Isolated", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 },
            ],
        });
        return (stack, vpc);
    }

    /// <summary>A user named <paramref name="id"/>: a security group and an EC2 role.</summary>
    public static TestUser User(Construct scope, IVpc vpc, string id)
    {
        var user = new Construct(scope, id);
        return new TestUser(
            new SecurityGroup(user, "SecurityGroup", new SecurityGroupProps { Vpc = vpc }),
            new Role(user, "Role", new RoleProps { AssumedBy = new ServicePrincipal("ec2.amazonaws.com") }));
    }

    /// <summary>Contiguous shards <c>shard1</c>…<c>shardN</c> splitting <paramref name="bucketCount"/> buckets evenly (the last takes the rest).</summary>
    public static Dictionary<string, DatabaseShard> EvenShards(int count, int bucketCount = 1024, Func<int, DatabaseShard, DatabaseShard>? customize = null)
    {
        var size = bucketCount / count;
        return Enumerable.Range(1, count).ToDictionary(n => $"shard{n}", n =>
        {
            var shard = new DatabaseShard { Buckets = [new BucketRange { From = (n - 1) * size, To = n == count ? bucketCount - 1 : n * size - 1 }] };
            return customize?.Invoke(n, shard) ?? shard;
        });
    }

    /// <summary>A stack with a <see cref="RedisCluster"/> built from <paramref name="configure"/> and one granted user, <c>api</c>.</summary>
    public static Synthesized Redis(Func<IVpc, RedisClusterProps> configure)
    {
        var (stack, vpc) = WithVpc();
        var cache = new RedisCluster(stack, "Cache", configure(vpc) with { Users = ["api"] });
        var user = User(stack, vpc, "Api");
        cache.GrantConnect(new DataClient(user.SecurityGroup, user.Role), "api");
        return Synthesized.Of(stack);
    }

    /// <summary>A stack with a <see cref="ShardedDatabase"/> built from <paramref name="configure"/> and one granted user.</summary>
    public static Synthesized Database(Func<IVpc, ShardedDatabaseProps> configure)
    {
        var (stack, vpc) = WithVpc();
        var database = new ShardedDatabase(stack, "Database", configure(vpc));
        var user = User(stack, vpc, "Api");
        database.GrantConnect(new DataClient(user.SecurityGroup, user.Role), "svc_api");
        return Synthesized.Of(stack);
    }
}
