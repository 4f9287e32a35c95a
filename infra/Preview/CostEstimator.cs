using System.Text.Json.Nodes;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// Prices a CloudFormation template from a <see cref="PriceTable"/>: pure functions from template to
/// <see cref="CostEstimate"/>. Scalable resources cost their minimum count at minimum and their maximum count at
/// maximum; everything else costs the same in both. A class or type the table lacks becomes an unknown line.
/// </summary>
public static class CostEstimator
{
    private delegate IEnumerable<CostLine> Pricer(TemplateResource resource, TemplateDocument template, PriceTable prices);

    private static readonly Dictionary<string, Pricer> Pricers = new(StringComparer.Ordinal)
    {
        ["AWS::AutoScaling::AutoScalingGroup"] = AutoScalingGroup,
        ["AWS::EC2::Instance"] = Ec2Instance,
        ["AWS::RDS::DBInstance"] = DbInstance,
        ["AWS::ElastiCache::ReplicationGroup"] = ReplicationGroup,
        ["AWS::ElastiCache::CacheCluster"] = CacheCluster,
        ["AWS::AmazonMQ::Broker"] = MqBroker,
        ["AWS::MSK::Cluster"] = MskCluster,
        ["AWS::OpenSearchService::Domain"] = SearchDomain,
    };

    /// <summary>Prices every resource of <paramref name="template"/>; free types produce no line.</summary>
    public static CostEstimate Estimate(TemplateDocument template, PriceTable prices)
    {
        var lines = new List<CostLine>();
        foreach (var resource in template.Resources)
        {
            if (Pricers.TryGetValue(resource.Type, out var pricer))
                lines.AddRange(pricer(resource, template, prices));
            else if (FixedLine(resource, prices) is { } line)
                lines.Add(line);
            else if (!prices.IsFree(resource.Type))
                lines.Add(Unknown(resource.Type, resource, $"no price for resource type {resource.Type}"));
        }
        return new CostEstimate(lines);
    }

    /// <summary>Monthly cost of <paramref name="count"/> instances at <paramref name="hourly"/>; null when the price is unknown.</summary>
    public static decimal? Monthly(decimal? hourly, long count, PriceTable prices) => hourly * count * prices.HoursPerMonth;

    private static CostLine? FixedLine(TemplateResource resource, PriceTable prices)
    {
        var variant = resource.Type switch
        {
            "AWS::ElasticLoadBalancingV2::LoadBalancer" => Values.AsString(resource["Type"]) is { } t && t != "application" ? t : null,
            "AWS::EC2::VPCEndpoint" => (Values.AsString(resource["VpcEndpointType"]) ?? "Gateway").ToLowerInvariant(),
            // The feature plan sets the price per active user; threat protection needs Plus.
            "AWS::Cognito::UserPool" => Values.AsString(resource["UserPoolTier"]) is { } tier && tier != "ESSENTIALS" ? tier.ToLowerInvariant() : null,
            _ => null,
        };
        var key = variant is null ? resource.Type : $"{resource.Type}/{variant}";
        if (!prices.Fixed.TryGetValue(key, out var price))
            return null;
        var count = price.Per is null ? 1 : Values.AsList(resource[price.Per])?.Count ?? 1;
        var monthly = (price.Hourly * prices.HoursPerMonth + price.Monthly) * count;
        var detail = count == 1 ? price.Basis : $"{count} × ({price.Basis})";
        return new CostLine(price.Kind, resource.LogicalId, detail, monthly, monthly);
    }

    private static CostLine Unknown(string kind, TemplateResource resource, string why) => new(kind, resource.LogicalId, why, null, null);

    /// <summary>One line for <c>min..max</c> instances of <paramref name="instanceClass"/> in <paramref name="service"/>.</summary>
    private static CostLine Instances(string kind, string service, TemplateResource resource, string? instanceClass, long min, long max, PriceTable prices, string? note = null)
    {
        var count = min == max ? $"{min}" : $"{min}–{max}";
        var hourly = prices.Hourly(service, instanceClass);
        if (hourly is null)
            return Unknown(kind, resource, $"{count} × {instanceClass ?? "(class not literal)"}: no {service} price for it in the table");
        var detail = $"{count} × {instanceClass} at {CostEstimate.Rate(hourly.Value)}/h{(note is null ? "" : $" ({note})")}";
        return new CostLine(kind, resource.LogicalId, detail, Monthly(hourly, min, prices), Monthly(hourly, max, prices));
    }

    /// <summary>One line for storage of <paramref name="gib"/> GiB per copy at rate <paramref name="rateName"/>.</summary>
    private static CostLine Storage(string kind, TemplateResource resource, string rateName, long gib, long minCopies, long maxCopies, PriceTable prices)
    {
        var rate = prices.Rate(rateName);
        var copies = minCopies == maxCopies ? $"{minCopies}" : $"{minCopies}–{maxCopies}";
        return rate is null
            ? Unknown(kind, resource, $"no rate {rateName} in the table")
            : new CostLine(kind, resource.LogicalId, $"{copies} × {gib} GiB at {CostEstimate.Rate(rate.Value)}/GiB-month",
                rate * gib * minCopies, rate * gib * maxCopies);
    }

    private static IEnumerable<CostLine> AutoScalingGroup(TemplateResource group, TemplateDocument template, PriceTable prices)
    {
        var min = Values.AsInteger(group["MinSize"]) ?? 0;
        var max = Values.AsInteger(group["MaxSize"]) ?? min;
        var launchTemplate = template.GetResource(LaunchTemplateId(group) ?? "");
        var configuration = template.GetResource(RefId(group["LaunchConfigurationName"]) ?? "");
        var data = launchTemplate?.Properties["LaunchTemplateData"] as JsonObject ?? configuration?.Properties;
        var instanceClass = Values.AsString(Values.At(group.Properties, "MixedInstancesPolicy.LaunchTemplate.Overrides") is JsonArray { Count: > 0 } o
            ? Values.At(o[0], "InstanceType")
            : data?["InstanceType"]);
        yield return Instances("EC2 instances", "ec2", group, instanceClass, min, max, prices, "Auto Scaling group bounds");
        var gib = Values.AsList(data?["BlockDeviceMappings"])?.Sum(m => Values.AsInteger(Values.At(m, "Ebs.VolumeSize")) ?? 0) ?? 0;
        if (gib > 0)
            yield return Storage("EBS volumes", group, "ebsGp3GiBMonth", gib, min, max, prices);
    }

    private static string? LaunchTemplateId(TemplateResource group) =>
        RefId(Values.At(group.Properties, "LaunchTemplate.LaunchTemplateId"))
        ?? RefId(Values.At(group.Properties, "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateId"));

    private static string? RefId(JsonNode? node) => node is JsonObject { Count: 1 } o ? Values.AsString(o["Ref"]) : null;

    private static IEnumerable<CostLine> Ec2Instance(TemplateResource instance, TemplateDocument template, PriceTable prices)
    {
        yield return Instances("EC2 instances", "ec2", instance, Values.AsString(instance["InstanceType"]), 1, 1, prices);
    }

    private static IEnumerable<CostLine> DbInstance(TemplateResource db, TemplateDocument template, PriceTable prices)
    {
        var copies = Values.IsTrue(db["MultiAZ"]) ? 2 : 1;
        var source = template.GetResource(RefId(db["SourceDBInstanceIdentifier"]) ?? "");
        var role = source is not null ? "read replica" : copies == 2 ? "Multi-AZ: primary + standby" : "single-AZ";
        yield return Instances("RDS instances", "rds", db, Values.AsString(db["DBInstanceClass"]), copies, copies, prices, role);
        if (db["DBClusterIdentifier"] is not null)
            yield break; // Aurora storage is billed by the cluster's usage, not allocated per instance.
        var gib = Values.AsInteger(db["AllocatedStorage"]) ?? Values.AsInteger(source?["AllocatedStorage"]) ?? 0;
        if (gib > 0)
            yield return Storage("RDS storage", db, "rdsGp3GiBMonth", gib, copies, copies, prices);
    }

    private static IEnumerable<CostLine> ReplicationGroup(TemplateResource group, TemplateDocument template, PriceTable prices)
    {
        var shards = Values.AsInteger(group["NumNodeGroups"]) ?? Values.AsList(group["NodeGroupConfiguration"])?.Count;
        var replicas = Values.AsInteger(group["ReplicasPerNodeGroup"]);
        var nodes = shards is not null || replicas is not null
            ? (shards ?? 1) * (1 + (replicas ?? 0))
            : Values.AsInteger(group["NumCacheClusters"]) ?? 1;
        var note = shards is not null || replicas is not null ? $"{shards ?? 1} shard(s) × (1 + {replicas ?? 0} replica(s))" : "nodes";
        yield return Instances("ElastiCache nodes", "elasticache", group, Values.AsString(group["CacheNodeType"]), nodes, nodes, prices, note);
    }

    private static IEnumerable<CostLine> CacheCluster(TemplateResource cluster, TemplateDocument template, PriceTable prices)
    {
        var nodes = Values.AsInteger(cluster["NumCacheNodes"]) ?? 1;
        yield return Instances("ElastiCache nodes", "elasticache", cluster, Values.AsString(cluster["CacheNodeType"]), nodes, nodes, prices);
    }

    private static IEnumerable<CostLine> MqBroker(TemplateResource broker, TemplateDocument template, PriceTable prices)
    {
        var mode = Values.AsString(broker["DeploymentMode"]) ?? "SINGLE_INSTANCE";
        var brokers = mode switch { "ACTIVE_STANDBY_MULTI_AZ" => 2, "CLUSTER_MULTI_AZ" => 3, _ => 1 };
        var engine = Values.AsString(broker["EngineType"])?.ToUpperInvariant() switch
        {
            "RABBITMQ" => "RabbitMQ",
            "ACTIVEMQ" => "ActiveMQ",
            var other => other ?? "engine not literal",
        };
        yield return Instances("Amazon MQ brokers", "mq", broker, Values.AsString(broker["HostInstanceType"]), brokers, brokers, prices, $"{engine}, {mode}");
    }

    private static IEnumerable<CostLine> MskCluster(TemplateResource cluster, TemplateDocument template, PriceTable prices)
    {
        var brokers = Values.AsInteger(cluster["NumberOfBrokerNodes"]) ?? 1;
        yield return Instances("MSK brokers", "msk", cluster, Values.AsString(Values.At(cluster.Properties, "BrokerNodeGroupInfo.InstanceType")), brokers, brokers, prices);
        var gib = Values.AsInteger(Values.At(cluster.Properties, "BrokerNodeGroupInfo.StorageInfo.EBSStorageInfo.VolumeSize")) ?? 0;
        if (gib > 0)
            yield return Storage("MSK storage", cluster, "mskStorageGiBMonth", gib, brokers, brokers, prices);
    }

    private static IEnumerable<CostLine> SearchDomain(TemplateResource domain, TemplateDocument template, PriceTable prices)
    {
        var config = domain["ClusterConfig"];
        var nodes = Values.AsInteger(Values.At(config, "InstanceCount")) ?? 1;
        yield return Instances("OpenSearch nodes", "opensearch", domain, Values.AsString(Values.At(config, "InstanceType")) ?? "r5.large.search", nodes, nodes, prices, "data nodes");
        if (Values.IsTrue(Values.At(config, "DedicatedMasterEnabled")))
        {
            var masters = Values.AsInteger(Values.At(config, "DedicatedMasterCount")) ?? 3;
            yield return Instances("OpenSearch nodes", "opensearch", domain, Values.AsString(Values.At(config, "DedicatedMasterType")), masters, masters, prices, "dedicated masters");
        }
        var gib = Values.AsInteger(Values.At(domain.Properties, "EBSOptions.VolumeSize")) ?? 0;
        if (gib > 0)
            yield return Storage("OpenSearch storage", domain, "openSearchGp3GiBMonth", gib, nodes, nodes, prices);
    }
}
