using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Benchmarks;

/// <summary>
/// A realistic backend template built in memory: repeated service units, each with the resource types the rules
/// look at and the references between them (listener → target group, group → launch template and scaling
/// policy, ingress → security group, queue → dead-letter queue, bucket → bucket policy, database → parameter group).
/// </summary>
public static class GeneratedTemplate
{
    /// <summary>Builds a template with exactly <paramref name="resourceCount"/> resources.</summary>
    public static JsonObject Build(int resourceCount)
    {
        var resources = new JsonObject();
        for (var unit = 0; resources.Count < resourceCount; unit++)
        {
            foreach (var (id, resource) in Unit(unit))
            {
                if (resources.Count == resourceCount)
                {
                    break;
                }

                resources[id] = resource;
            }
        }

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Parameters"] = new JsonObject { ["DbPassword"] = new JsonObject { ["Type"] = "String", ["NoEcho"] = true } },
            ["Resources"] = resources,
        };
    }

    private static JsonObject Ref(string id) => new() { ["Ref"] = id };

    private static JsonObject GetAtt(string id, string attribute) => new() { ["Fn::GetAtt"] = new JsonArray(id, attribute) };

    private static JsonObject Resource(string type, JsonObject properties) => new() { ["Type"] = type, ["Properties"] = properties };

    private static IEnumerable<(string Id, JsonObject Resource)> Unit(int n)
    {
        var s = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        yield return ("LbSg" + s, Resource("AWS::EC2::SecurityGroup", new JsonObject
        {
            ["GroupDescription"] = "lb",
            ["SecurityGroupIngress"] = new JsonArray(new JsonObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = "0.0.0.0/0" }),
        }));
        yield return ("AppSg" + s, Resource("AWS::EC2::SecurityGroup", new JsonObject { ["GroupDescription"] = "app" }));
        yield return ("AppIngress" + s, Resource("AWS::EC2::SecurityGroupIngress", new JsonObject
        {
            ["GroupId"] = GetAtt("AppSg" + s, "GroupId"), ["IpProtocol"] = "tcp", ["FromPort"] = 8080, ["ToPort"] = 8080,
            ["SourceSecurityGroupId"] = GetAtt("LbSg" + s, "GroupId"),
        }));
        yield return ("Lb" + s, Resource("AWS::ElasticLoadBalancingV2::LoadBalancer", new JsonObject
        {
            ["SecurityGroups"] = new JsonArray(GetAtt("LbSg" + s, "GroupId")),
            ["Subnets"] = new JsonArray("subnet-a", "subnet-b"),
            ["LoadBalancerAttributes"] = new JsonArray(new JsonObject { ["Key"] = "deletion_protection.enabled", ["Value"] = "true" }),
        }));
        yield return ("Targets" + s, Resource("AWS::ElasticLoadBalancingV2::TargetGroup", new JsonObject
        {
            ["Port"] = 8080, ["Protocol"] = "HTTP", ["HealthCheckPath"] = "/health",
        }));
        yield return ("Https" + s, Resource("AWS::ElasticLoadBalancingV2::Listener", new JsonObject
        {
            ["LoadBalancerArn"] = Ref("Lb" + s), ["Port"] = 443, ["Protocol"] = "HTTPS", ["SslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06",
            ["DefaultActions"] = new JsonArray(new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = Ref("Targets" + s) }),
        }));
        yield return ("Http" + s, Resource("AWS::ElasticLoadBalancingV2::Listener", new JsonObject
        {
            ["LoadBalancerArn"] = Ref("Lb" + s), ["Port"] = 80, ["Protocol"] = "HTTP",
            ["DefaultActions"] = new JsonArray(new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = Ref("Targets" + s) }),
        }));
        yield return ("Template" + s, Resource("AWS::EC2::LaunchTemplate", new JsonObject
        {
            ["LaunchTemplateData"] = new JsonObject
            {
                ["MetadataOptions"] = new JsonObject { ["HttpTokens"] = "required" },
                ["SecurityGroupIds"] = new JsonArray(GetAtt("AppSg" + s, "GroupId")),
                ["BlockDeviceMappings"] = new JsonArray(new JsonObject
                {
                    ["DeviceName"] = "/dev/xvda", ["Ebs"] = new JsonObject { ["VolumeSize"] = 20, ["Encrypted"] = n % 3 != 0 },
                }),
            },
        }));
        yield return ("Group" + s, Resource("AWS::AutoScaling::AutoScalingGroup", new JsonObject
        {
            ["MinSize"] = "2", ["MaxSize"] = "10", ["HealthCheckType"] = "ELB",
            ["VPCZoneIdentifier"] = new JsonArray("subnet-a", "subnet-b"),
            ["TargetGroupARNs"] = new JsonArray(Ref("Targets" + s)),
            ["LaunchTemplate"] = new JsonObject { ["LaunchTemplateId"] = Ref("Template" + s), ["Version"] = GetAtt("Template" + s, "LatestVersionNumber") },
        }));
        yield return ("Scale" + s, Resource("AWS::AutoScaling::ScalingPolicy", new JsonObject
        {
            ["AutoScalingGroupName"] = Ref("Group" + s), ["PolicyType"] = "TargetTrackingScaling",
        }));
        yield return ("DeadLetters" + s, Resource("AWS::SQS::Queue", new JsonObject { ["MessageRetentionPeriod"] = 1209600 }));
        yield return ("Jobs" + s, Resource("AWS::SQS::Queue", new JsonObject
        {
            ["RedrivePolicy"] = new JsonObject { ["deadLetterTargetArn"] = GetAtt("DeadLetters" + s, "Arn"), ["maxReceiveCount"] = 5 },
        }));
        yield return ("JobsPolicy" + s, Resource("AWS::SQS::QueuePolicy", new JsonObject
        {
            ["Queues"] = new JsonArray(Ref("Jobs" + s), Ref("DeadLetters" + s)),
            ["PolicyDocument"] = DenyInsecure(GetAtt("Jobs" + s, "Arn")),
        }));
        yield return ("Events" + s, Resource("AWS::SNS::Topic", new JsonObject { ["KmsMasterKeyId"] = "alias/aws/sns" }));
        yield return ("Bucket" + s, Resource("AWS::S3::Bucket", new JsonObject()));
        yield return ("BucketPolicy" + s, Resource("AWS::S3::BucketPolicy", new JsonObject
        {
            ["Bucket"] = Ref("Bucket" + s),
            ["PolicyDocument"] = DenyInsecure(new JsonObject { ["Fn::Sub"] = "${Bucket" + s + ".Arn}/*" }),
        }));
        yield return ("Logs" + s, Resource("AWS::Logs::LogGroup", new JsonObject { ["RetentionInDays"] = 30 }));
        yield return ("Role" + s, Resource("AWS::IAM::Role", new JsonObject
        {
            ["AssumeRolePolicyDocument"] = new JsonObject
            {
                ["Statement"] = new JsonArray(new JsonObject
                {
                    ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["Service"] = "ec2.amazonaws.com" }, ["Action"] = "sts:AssumeRole",
                }),
            },
            ["Policies"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = "app",
                ["PolicyDocument"] = new JsonObject
                {
                    ["Statement"] = new JsonArray(new JsonObject
                    {
                        ["Effect"] = "Allow", ["Action"] = new JsonArray("sqs:SendMessage", "sqs:ReceiveMessage"), ["Resource"] = GetAtt("Jobs" + s, "Arn"),
                    }),
                },
            }),
        }));
        yield return ("Params" + s, Resource("AWS::RDS::DBParameterGroup", new JsonObject
        {
            ["Description"] = "TLS only", ["Family"] = "postgres14", ["Parameters"] = new JsonObject { ["rds.force_ssl"] = "1" },
        }));
        yield return ("Db" + s, Resource("AWS::RDS::DBInstance", new JsonObject
        {
            ["Engine"] = "postgres", ["EngineVersion"] = "14.10", ["StorageEncrypted"] = true, ["MultiAZ"] = true,
            ["DBParameterGroupName"] = Ref("Params" + s), ["MasterUserPassword"] = Ref("DbPassword"),
            ["BackupRetentionPeriod"] = 7, ["DeletionProtection"] = true,
        }));
        yield return ("Cache" + s, Resource("AWS::ElastiCache::ReplicationGroup", new JsonObject
        {
            ["ReplicationGroupDescription"] = "sessions", ["AtRestEncryptionEnabled"] = true, ["TransitEncryptionEnabled"] = true,
            ["MultiAZEnabled"] = true, ["AutomaticFailoverEnabled"] = true,
        }));
    }

    private static JsonObject DenyInsecure(JsonNode resource) => new()
    {
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Deny", ["Principal"] = "*", ["Action"] = "*", ["Resource"] = resource,
            ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
        }),
    };
}
