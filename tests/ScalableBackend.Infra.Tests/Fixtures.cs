using System.Text.Json.Nodes;

namespace ScalableBackend.Infra.Tests;

/// <summary>Small hand-written templates with the resource types the preview cares about (no CDK, no env files).</summary>
public static class Fixtures
{
    /// <summary>
    /// A queue, a database with its subnet group, a two-shard cache with one replica each, an Auto Scaling group
    /// (2–6 × t3.micro, 20 GiB) behind a load balancer, each under its own construct path.
    /// </summary>
    public const string Base = """
        {"Resources": {
          "LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Scheme": "internet-facing"},
            "Metadata": {"aws:cdk:path": "Backend-Prod/LoadBalancer/Resource"}},
          "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {"LoadBalancerArn": {"Ref": "LoadBalancer"}},
            "Metadata": {"aws:cdk:path": "Backend-Prod/LoadBalancer/Listener/Resource"}},
          "TargetGroup": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {},
            "Metadata": {"aws:cdk:path": "Backend-Prod/ServiceApi/TargetGroup/Resource"}},
          "Rule": {"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {"ListenerArn": {"Ref": "Listener"},
            "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}]},
            "Metadata": {"aws:cdk:path": "Backend-Prod/ServiceApi/Rule/Resource"}},
          "ApiSg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "api"},
            "Metadata": {"aws:cdk:path": "Backend-Prod/ServiceApi/SecurityGroup/Resource"}},
          "LaunchTemplate": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "t3.micro",
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 20, "VolumeType": "gp3"}}]}},
            "Metadata": {"aws:cdk:path": "Backend-Prod/ServiceApi/LaunchTemplate/Resource"}},
          "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "2", "MaxSize": "6",
            "LaunchTemplate": {"LaunchTemplateId": {"Ref": "LaunchTemplate"}, "Version": "1"},
            "TargetGroupARNs": [{"Ref": "TargetGroup"}]},
            "Metadata": {"aws:cdk:path": "Backend-Prod/ServiceApi/Group/ASG"}},
          "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders"},
            "Metadata": {"aws:cdk:path": "Backend-Prod/Orders/Queue/Resource"}},
          "QueueAccess": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "q", "PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Queue", "Arn"]}}]}},
            "Metadata": {"aws:cdk:path": "Backend-Prod/ServiceApi/Role/DefaultPolicy/Resource"}},
          "DbSubnets": {"Type": "AWS::RDS::DBSubnetGroup", "Properties": {"DBSubnetGroupDescription": "db", "SubnetIds": ["a", "b"]},
            "Metadata": {"aws:cdk:path": "Backend-Prod/Database/Subnets/Default"}},
          "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.t4g.micro", "AllocatedStorage": "100",
            "MultiAZ": true, "DBSubnetGroupName": {"Ref": "DbSubnets"}},
            "Metadata": {"aws:cdk:path": "Backend-Prod/Database/Instance/Resource"}},
          "DbIngress": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
            "GroupId": "sg-db", "SourceSecurityGroupId": {"Fn::GetAtt": ["ApiSg", "GroupId"]}},
            "Metadata": {"aws:cdk:path": "Backend-Prod/Database/FromApi"}},
          "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"ReplicationGroupDescription": "cache",
            "CacheNodeType": "cache.t4g.micro", "NumNodeGroups": 2, "ReplicasPerNodeGroup": 1, "AtRestEncryptionEnabled": true},
            "Metadata": {"aws:cdk:path": "Backend-Prod/Cache/ReplicationGroup"}}
        }}
        """;

    /// <summary>The base template with <paramref name="edit"/> applied to its resources.</summary>
    public static string Edit(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(Base)!.AsObject();
        edit(root["Resources"]!.AsObject());
        return root.ToJsonString();
    }

    /// <summary>The properties of resource <paramref name="id"/>.</summary>
    public static JsonObject Props(this JsonObject resources, string id) => resources[id]!["Properties"]!.AsObject();
}
