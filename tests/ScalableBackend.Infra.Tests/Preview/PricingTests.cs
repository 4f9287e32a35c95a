using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests.Preview;

/// <summary>
/// How each priced resource type is counted (instances, nodes, brokers, copies, storage) and what the line says, one
/// resource per template, against a small table with round numbers (100 hours a month).
/// </summary>
public sealed class PricingTests
{
    private const string Prices = """
        {"region": "us-east-1", "currency": "USD", "date": "2026-12-02", "source": "test", "hoursPerMonth": 100,
         "instances": {
           "ec2": {"t3.micro": 0.01, "m6i.large": 0.1},
           "rds": {"db.r6g.large": 0.2},
           "elasticache": {"cache.r7g.large": 0.3},
           "mq": {"mq.m5.large": 0.4},
           "msk": {"kafka.m5.large": 0.5},
           "opensearch": {"r6g.large.search": 0.6, "r5.large.search": 0.7, "m6g.large.search": 0.8}},
         "rates": {"ebsGp3GiBMonth": 0.1, "rdsGp3GiBMonth": 0.2, "mskStorageGiBMonth": 0.3, "openSearchGp3GiBMonth": 0.4},
         "fixed": {
           "AWS::ElasticLoadBalancingV2::LoadBalancer": {"kind": "Load balancers", "hourly": 0.02, "basis": "application"},
           "AWS::ElasticLoadBalancingV2::LoadBalancer/network": {"kind": "Load balancers", "hourly": 0.03, "basis": "network"},
           "AWS::EC2::VPCEndpoint/interface": {"kind": "VPC endpoints", "hourly": 0.01, "per": "SubnetIds", "basis": "one per zone"},
           "AWS::EC2::VPCEndpoint/gateway": {"kind": "VPC endpoints", "monthly": 0, "basis": "gateway"},
           "AWS::Cognito::UserPool": {"kind": "User pools", "monthly": 5, "basis": "essentials"},
           "AWS::Cognito::UserPool/plus": {"kind": "User pools", "monthly": 20, "basis": "plus"}},
         "free": ["AWS::IAM::*", "AWS::EC2::LaunchTemplate"]}
        """;

    private static readonly PriceTable Table = PriceTable.Parse(Prices);

    private static CostEstimate Estimate(string resources) =>
        CostEstimator.Estimate(TemplateDocument.Parse("{\"Resources\": {" + resources + "}}", "t.json"), Table);

    private static CostLine Line(string resources, string kind) => Assert.Single(Estimate(resources).Lines, l => l.Kind == kind);

    private static void Costs(CostLine line, decimal min, decimal max)
    {
        Assert.Equal(min, line.Min);
        Assert.Equal(max, line.Max);
    }

    // ---- EC2 ----

    [Fact]
    public void An_instance_costs_one_hourly_price_a_month()
    {
        var line = Line("""
            "Box": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m6i.large"}}
            """, "EC2 instances");
        Costs(line, 10m, 10m);
        Assert.Equal("Box", line.LogicalId);
        Assert.Equal("1 × m6i.large at $0.10/h", line.Detail);
    }

    [Fact]
    public void An_instance_whose_class_is_not_literal_is_unknown_and_says_so()
    {
        var line = Line("""
            "Box": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": {"Ref": "Size"}}}
            """, "EC2 instances");
        Assert.True(line.IsUnknown);
        Assert.Equal("1 × (class not literal): no ec2 price for it in the table", line.Detail);
    }

    [Fact]
    public void A_group_on_a_launch_configuration_prices_its_class_and_volumes_at_both_bounds()
    {
        var lines = Estimate("""
            "Config": {"Type": "AWS::AutoScaling::LaunchConfiguration", "Properties": {"InstanceType": "m6i.large",
              "BlockDeviceMappings": [{"Ebs": {"VolumeSize": 8}}, {"Ebs": {"VolumeSize": 12}}, {"NoDevice": true}]}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": 1, "MaxSize": 3, "LaunchConfigurationName": {"Ref": "Config"}}}
            """).Lines.Where(l => l.LogicalId == "Group").ToArray();
        var instances = Assert.Single(lines, l => l.Kind == "EC2 instances");
        Costs(instances, 10m, 30m);
        Assert.Equal("1–3 × m6i.large at $0.10/h (Auto Scaling group bounds)", instances.Detail);
        var volumes = Assert.Single(lines, l => l.Kind == "EBS volumes");
        Costs(volumes, 2m, 6m); // 20 GiB per instance × 0.1
        Assert.Equal("1–3 × 20 GiB at $0.10/GiB-month", volumes.Detail);
    }

    [Fact]
    public void A_mixed_instances_group_is_priced_at_its_first_override_through_its_launch_template()
    {
        var lines = Estimate("""
            "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "t3.micro",
              "BlockDeviceMappings": [{"Ebs": {"VolumeSize": 30}}]}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "2", "MaxSize": "2",
              "MixedInstancesPolicy": {"LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateId": {"Ref": "Template"}, "Version": "1"},
                "Overrides": [{"InstanceType": "m6i.large"}, {"InstanceType": "t3.micro"}]}}}}
            """).Lines;
        var instances = Assert.Single(lines, l => l.Kind == "EC2 instances");
        Costs(instances, 20m, 20m);
        Assert.StartsWith("2 × m6i.large", instances.Detail);
        Costs(Assert.Single(lines, l => l.Kind == "EBS volumes"), 6m, 6m);
    }

    [Fact]
    public void A_mixed_instances_group_without_overrides_takes_its_launch_templates_class()
    {
        var instances = Line("""
            "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "t3.micro"}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "4",
              "MixedInstancesPolicy": {"LaunchTemplate": {"LaunchTemplateSpecification": {"LaunchTemplateId": {"Ref": "Template"}}, "Overrides": []}}}}
            """, "EC2 instances");
        Costs(instances, 1m, 4m);
        Assert.StartsWith("1–4 × t3.micro", instances.Detail);
    }

    [Fact]
    public void A_group_without_bounds_costs_nothing_at_minimum_and_without_volumes_has_no_storage_line()
    {
        var lines = Estimate("""
            "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "t3.micro"}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"LaunchTemplate": {"LaunchTemplateId": {"Ref": "Template"}}}}
            """).Lines;
        Costs(Assert.Single(lines), 0m, 0m);
        Assert.StartsWith("0 × t3.micro", lines[0].Detail);
    }

    [Fact]
    public void A_group_with_only_a_minimum_keeps_that_count_at_maximum()
    {
        var line = Line("""
            "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "t3.micro"}}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": 3, "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Template"}}}}
            """, "EC2 instances");
        Costs(line, 3m, 3m);
        Assert.StartsWith("3 × t3.micro", line.Detail);
    }

    [Fact]
    public void Volumes_whose_price_is_missing_are_unknown_not_free()
    {
        var table = Table with { Rates = new Dictionary<string, decimal>() };
        var estimate = CostEstimator.Estimate(TemplateDocument.Parse("""
            {"Resources": {
              "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"InstanceType": "t3.micro",
                "BlockDeviceMappings": [{"Ebs": {"VolumeSize": 30}}]}}},
              "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": 1, "MaxSize": 1, "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Template"}}}}}}
            """, "t.json"), table);
        var volumes = Assert.Single(estimate.Lines, l => l.Kind == "EBS volumes");
        Assert.True(volumes.IsUnknown);
        Assert.Equal("no rate ebsGp3GiBMonth in the table", volumes.Detail);
    }

    // ---- RDS ----

    [Fact]
    public void A_single_az_database_costs_one_instance_and_one_copy_of_its_storage()
    {
        var lines = Estimate("""
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.r6g.large", "AllocatedStorage": 50, "MultiAZ": false}}
            """).Lines;
        var instance = Assert.Single(lines, l => l.Kind == "RDS instances");
        Costs(instance, 20m, 20m);
        Assert.Equal("1 × db.r6g.large at $0.20/h (single-AZ)", instance.Detail);
        Costs(Assert.Single(lines, l => l.Kind == "RDS storage"), 10m, 10m);
    }

    [Fact]
    public void A_multi_az_database_pays_for_the_standby_and_its_storage()
    {
        var lines = Estimate("""
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.r6g.large", "AllocatedStorage": 50, "MultiAZ": "true"}}
            """).Lines;
        var instance = Assert.Single(lines, l => l.Kind == "RDS instances");
        Costs(instance, 40m, 40m);
        Assert.EndsWith("(Multi-AZ: primary + standby)", instance.Detail);
        var storage = Assert.Single(lines, l => l.Kind == "RDS storage");
        Costs(storage, 20m, 20m);
        Assert.Equal("2 × 50 GiB at $0.20/GiB-month", storage.Detail);
    }

    [Fact]
    public void A_read_replica_is_named_as_one()
    {
        var replica = Estimate("""
            "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.r6g.large", "AllocatedStorage": 10}},
            "Replica": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.r6g.large", "SourceDBInstanceIdentifier": {"Ref": "Db"}}}
            """).Lines.Single(l => l.LogicalId == "Replica" && l.Kind == "RDS instances");
        Assert.EndsWith("(read replica)", replica.Detail);
    }

    [Fact]
    public void An_aurora_instance_has_no_storage_line_and_a_database_without_storage_neither()
    {
        var lines = Estimate("""
            "Aurora": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.r6g.large", "DBClusterIdentifier": {"Ref": "Cluster"}, "AllocatedStorage": 10}},
            "Bare": {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.r6g.large"}}
            """).Lines;
        Assert.Equal(["RDS instances", "RDS instances"], lines.Select(l => l.Kind));
    }

    // ---- ElastiCache ----

    [Theory]
    // properties, nodes, note
    [InlineData("\"NumCacheClusters\": 3", 3, "nodes")]
    [InlineData("", 1, "nodes")]
    [InlineData("\"NumNodeGroups\": 3", 3, "3 shard(s) × (1 + 0 replica(s))")]
    [InlineData("\"ReplicasPerNodeGroup\": 2", 3, "1 shard(s) × (1 + 2 replica(s))")]
    [InlineData("\"NodeGroupConfiguration\": [{}, {}], \"ReplicasPerNodeGroup\": 1", 4, "2 shard(s) × (1 + 1 replica(s))")]
    public void A_replication_group_counts_shards_times_one_primary_and_its_replicas_or_its_clusters(string properties, int nodes, string note)
    {
        var comma = properties.Length == 0 ? "" : ", ";
        var line = Line($$$"""
            "Cache": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {"CacheNodeType": "cache.r7g.large"{{{comma}}}{{{properties}}}}}
            """, "ElastiCache nodes");
        Costs(line, 30m * nodes, 30m * nodes);
        Assert.Equal($"{nodes} × cache.r7g.large at $0.30/h ({note})", line.Detail);
    }

    [Theory]
    [InlineData("\"NumCacheNodes\": 2, ", 2)]
    [InlineData("", 1)]
    public void A_cache_cluster_counts_its_nodes(string nodesProperty, int nodes)
    {
        var line = Line($$$"""
            "Memcached": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {{{{nodesProperty}}}"CacheNodeType": "cache.r7g.large"}}
            """, "ElastiCache nodes");
        Costs(line, 30m * nodes, 30m * nodes);
    }

    // ---- Amazon MQ ----

    [Theory]
    [InlineData("\"DeploymentMode\": \"SINGLE_INSTANCE\", \"EngineType\": \"RabbitMQ\"", 1, "RabbitMQ, SINGLE_INSTANCE")]
    [InlineData("\"EngineType\": \"rabbitmq\"", 1, "RabbitMQ, SINGLE_INSTANCE")]
    [InlineData("\"DeploymentMode\": \"ACTIVE_STANDBY_MULTI_AZ\", \"EngineType\": \"ActiveMQ\"", 2, "ActiveMQ, ACTIVE_STANDBY_MULTI_AZ")]
    [InlineData("\"DeploymentMode\": \"CLUSTER_MULTI_AZ\", \"EngineType\": \"RABBITMQ\"", 3, "RabbitMQ, CLUSTER_MULTI_AZ")]
    [InlineData("\"DeploymentMode\": \"CLUSTER_MULTI_AZ\", \"EngineType\": \"Other\"", 3, "OTHER, CLUSTER_MULTI_AZ")]
    [InlineData("\"DeploymentMode\": \"SINGLE_INSTANCE\", \"EngineType\": {\"Ref\": \"E\"}", 1, "engine not literal, SINGLE_INSTANCE")]
    public void A_broker_pays_for_every_instance_its_deployment_mode_runs(string properties, int brokers, string note)
    {
        var line = Line($$$"""
            "Broker": {"Type": "AWS::AmazonMQ::Broker", "Properties": {"HostInstanceType": "mq.m5.large", {{{properties}}}}}
            """, "Amazon MQ brokers");
        Costs(line, 40m * brokers, 40m * brokers);
        Assert.Equal($"{brokers} × mq.m5.large at $0.40/h ({note})", line.Detail);
    }

    // ---- MSK ----

    [Fact]
    public void A_kafka_cluster_pays_for_each_broker_and_each_brokers_volume()
    {
        var lines = Estimate("""
            "Kafka": {"Type": "AWS::MSK::Cluster", "Properties": {"NumberOfBrokerNodes": 3,
              "BrokerNodeGroupInfo": {"InstanceType": "kafka.m5.large", "StorageInfo": {"EBSStorageInfo": {"VolumeSize": 100}}}}}
            """).Lines;
        var brokers = Assert.Single(lines, l => l.Kind == "MSK brokers");
        Costs(brokers, 150m, 150m);
        Assert.Equal("3 × kafka.m5.large at $0.50/h", brokers.Detail);
        var storage = Assert.Single(lines, l => l.Kind == "MSK storage");
        Costs(storage, 90m, 90m); // 3 × 100 GiB × 0.3
        Assert.Equal("3 × 100 GiB at $0.30/GiB-month", storage.Detail);
    }

    [Fact]
    public void A_kafka_cluster_without_a_count_or_volume_is_one_broker_and_no_storage_line()
    {
        var line = Assert.Single(Estimate("""
            "Kafka": {"Type": "AWS::MSK::Cluster", "Properties": {"BrokerNodeGroupInfo": {"InstanceType": "kafka.m5.large"}}}
            """).Lines);
        Assert.Equal("MSK brokers", line.Kind);
        Costs(line, 50m, 50m);
    }

    // ---- OpenSearch ----

    [Fact]
    public void A_search_domain_pays_for_data_nodes_dedicated_masters_and_each_data_nodes_volume()
    {
        var lines = Estimate("""
            "Search": {"Type": "AWS::OpenSearchService::Domain", "Properties": {
              "ClusterConfig": {"InstanceType": "r6g.large.search", "InstanceCount": 2, "DedicatedMasterEnabled": true, "DedicatedMasterType": "m6g.large.search", "DedicatedMasterCount": 5},
              "EBSOptions": {"VolumeSize": 10}}}
            """).Lines;
        Assert.Collection(lines,
            data =>
            {
                Assert.Equal("OpenSearch nodes", data.Kind);
                Costs(data, 120m, 120m);
                Assert.Equal("2 × r6g.large.search at $0.60/h (data nodes)", data.Detail);
            },
            masters =>
            {
                Assert.Equal("OpenSearch nodes", masters.Kind);
                Costs(masters, 400m, 400m);
                Assert.Equal("5 × m6g.large.search at $0.80/h (dedicated masters)", masters.Detail);
            },
            storage =>
            {
                Assert.Equal("OpenSearch storage", storage.Kind);
                Costs(storage, 8m, 8m); // 2 × 10 GiB × 0.4
            });
    }

    [Fact]
    public void A_search_domain_defaults_to_one_r5_large_data_node_and_three_masters_when_enabled()
    {
        var lines = Estimate("""
            "Search": {"Type": "AWS::OpenSearchService::Domain", "Properties": {"ClusterConfig": {"DedicatedMasterEnabled": "true", "DedicatedMasterType": "m6g.large.search"}}}
            """).Lines;
        Assert.Equal(2, lines.Count);
        Costs(lines[0], 70m, 70m);
        Assert.StartsWith("1 × r5.large.search", lines[0].Detail);
        Costs(lines[1], 240m, 240m);
        Assert.StartsWith("3 × m6g.large.search", lines[1].Detail);
    }

    [Fact]
    public void A_search_domain_without_dedicated_masters_or_volumes_has_only_its_data_nodes()
    {
        var line = Assert.Single(Estimate("""
            "Search": {"Type": "AWS::OpenSearchService::Domain", "Properties": {"ClusterConfig": {"InstanceType": "r6g.large.search", "InstanceCount": 3, "DedicatedMasterEnabled": false}}}
            """).Lines);
        Costs(line, 180m, 180m);
    }

    // ---- flat prices ----

    [Theory]
    [InlineData("{\"Type\": \"application\"}", 2.0, "application")]
    [InlineData("{}", 2.0, "application")]
    [InlineData("{\"Type\": \"network\"}", 3.0, "network")]
    public void A_load_balancer_is_priced_by_its_type(string properties, double monthly, string basis)
    {
        var line = Line($$$"""
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {{{properties}}}}
            """, "Load balancers");
        Costs(line, (decimal)monthly, (decimal)monthly);
        Assert.Equal(basis, line.Detail);
    }

    [Fact]
    public void An_interface_endpoint_is_priced_per_subnet_and_a_gateway_endpoint_once()
    {
        var estimate = Estimate("""
            "Interface": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Interface", "SubnetIds": ["a", "b", "c"]}},
            "Gateway": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {}}
            """);
        var interfaceLine = estimate.Lines.Single(l => l.LogicalId == "Interface");
        Costs(interfaceLine, 3m, 3m);
        Assert.Equal("3 × (one per zone)", interfaceLine.Detail);
        var gateway = estimate.Lines.Single(l => l.LogicalId == "Gateway");
        Costs(gateway, 0m, 0m);
        Assert.Equal("gateway", gateway.Detail);
    }

    [Fact]
    public void A_per_item_price_whose_list_is_not_literal_counts_once()
    {
        var line = Line("""
            "Interface": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {"VpcEndpointType": "Interface", "SubnetIds": {"Ref": "Subnets"}}}
            """, "VPC endpoints");
        Costs(line, 1m, 1m);
        Assert.Equal("one per zone", line.Detail);
    }

    [Theory]
    [InlineData("", 5.0)]
    [InlineData("\"UserPoolTier\": \"ESSENTIALS\"", 5.0)]
    [InlineData("\"UserPoolTier\": \"PLUS\"", 20.0)]
    public void A_user_pool_is_priced_by_its_feature_plan(string properties, double monthly)
    {
        var line = Line($$$"""
            "Users": {"Type": "AWS::Cognito::UserPool", "Properties": {{{{properties}}}}}
            """, "User pools");
        Costs(line, (decimal)monthly, (decimal)monthly);
    }

    [Fact]
    public void A_variant_the_table_lacks_is_unknown()
    {
        var line = Assert.Single(Estimate("""
            "Lb": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "gateway"}}
            """).Lines);
        Assert.True(line.IsUnknown);
        Assert.Equal("no price for resource type AWS::ElasticLoadBalancingV2::LoadBalancer", line.Detail);
    }

    [Fact]
    public void Free_types_exact_or_by_prefix_produce_no_line()
    {
        Assert.Empty(Estimate("""
            "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
            "Template": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {}}
            """).Lines);
        Assert.True(Table.IsFree("AWS::IAM::Policy"));
        Assert.True(Table.IsFree("AWS::EC2::LaunchTemplate"));
        Assert.False(Table.IsFree("AWS::EC2::LaunchTemplateX"));
        Assert.False(Table.IsFree("AWS::IAMX::Role"));
    }

    [Fact]
    public void Monthly_is_hourly_times_count_times_the_tables_hours_and_unknown_stays_unknown()
    {
        Assert.Equal(30m, CostEstimator.Monthly(0.1m, 3, Table));
        Assert.Null(CostEstimator.Monthly(null, 3, Table));
    }

    // ---- the table ----

    [Fact]
    public void The_table_looks_up_classes_per_service_and_rates_by_name()
    {
        Assert.Equal(0.1m, Table.Hourly("ec2", "m6i.large"));
        Assert.Null(Table.Hourly("rds", "m6i.large"));
        Assert.Null(Table.Hourly("lambda", "m6i.large"));
        Assert.Null(Table.Hourly("ec2", null));
        Assert.Equal(0.3m, Table.Rate("mskStorageGiBMonth"));
        Assert.Null(Table.Rate("glacierGiBMonth"));
    }

    [Fact]
    public void A_table_without_hours_bills_730_a_month_and_has_no_notes()
    {
        var table = PriceTable.Parse("""{"region": "r", "currency": "USD", "date": "d", "source": "s"}""");
        Assert.Equal(730m, table.HoursPerMonth);
        Assert.Empty(table.Notes);
        Assert.Empty(table.Free);
        Assert.Null(table.Hourly("ec2", "t3.micro"));
    }

    [Theory]
    [InlineData(null, "us-east-1 prices (the templates do not name their region)")]
    [InlineData("us-east-1", "us-east-1 prices")]
    [InlineData("eu-west-1", "us-east-1 prices — the table has none for eu-west-1, where prices differ")]
    public void The_estimate_says_which_regions_prices_it_uses(string? region, string text) =>
        Assert.Equal(text, Table.PricesUsedFor(region));

    [Theory]
    [InlineData("\"eu-west-1a\"", "eu-west-1")]
    [InlineData("\"ap-southeast-2c\"", "ap-southeast-2")]
    [InlineData("\"us-gov-west-1b\"", "us-gov-west-1")]
    [InlineData("\"eu-west-1\"", null)]
    [InlineData("\"use1-az1\"", null)]
    [InlineData("{\"Fn::Select\": [0, {\"Fn::GetAZs\": \"\"}]}", null)]
    public void The_region_is_read_from_a_literal_availability_zone(string zone, string? region)
    {
        var templates = new[]
        {
            TemplateDocument.Parse("""{"Resources": {"Queue": {"Type": "AWS::SQS::Queue", "Properties": {}}}}""", "a.json"),
            TemplateDocument.Parse("""{"Resources": {"Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"AvailabilityZone": """ + zone + "}}}}", "b.json"),
        };
        Assert.Equal(region, PriceTable.RegionOf(templates));
    }

    [Fact]
    public void A_malformed_table_fails_naming_its_file_and_an_unknown_field_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"region": "r", "currency": "USD", "date": "d", "source": "s", "hourlyPrices": {}}""");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => PriceTable.Load(path));
            Assert.StartsWith(path + ": ", error.Message);
            Assert.Contains("hourlyPrices", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.StartsWith("/nonexistent/prices.json: ", Assert.Throws<InvalidDataException>(() => PriceTable.Load("/nonexistent/prices.json")).Message);
        Assert.Equal("the price table is empty", Assert.Throws<System.Text.Json.JsonException>(() => PriceTable.Parse("null")).Message);
    }

    [Fact]
    public void A_table_with_comments_loads()
    {
        var table = PriceTable.Parse("""
            // written by hand
            {"region": "r", "currency": "USD", "date": "d", "source": "s", "hoursPerMonth": 720}
            """);
        Assert.Equal(720m, table.HoursPerMonth);
    }

    [Fact]
    public void Every_line_carries_its_resources_logical_id()
    {
        var estimate = Estimate("""
            "Kafka": {"Type": "AWS::MSK::Cluster", "Properties": {"BrokerNodeGroupInfo": {"InstanceType": "kafka.m5.large", "StorageInfo": {"EBSStorageInfo": {"VolumeSize": 1}}}}},
            "Broker": {"Type": "AWS::AmazonMQ::Broker", "Properties": {"HostInstanceType": "mq.m5.large"}},
            "Memcached": {"Type": "AWS::ElastiCache::CacheCluster", "Properties": {"CacheNodeType": "cache.r7g.large"}}
            """);
        Assert.Equal(["Kafka", "Kafka", "Broker", "Memcached"], estimate.Lines.Select(l => l.LogicalId));
    }
}
