using ScalableBackend.Infra.Preview;
using ScalableBackend.Policies;

namespace ScalableBackend.Infra.Tests;

public sealed class CostEstimatorTests
{
    private const string Prices = """
        {"region": "us-east-1", "currency": "USD", "date": "2025-06-01", "source": "test", "hoursPerMonth": 100,
         "instances": {"ec2": {"t3.micro": 0.01}, "rds": {"db.t4g.micro": 0.02}, "elasticache": {"cache.t4g.micro": 0.03}},
         "rates": {"ebsGp3GiBMonth": 0.1, "rdsGp3GiBMonth": 0.2},
         "fixed": {"AWS::ElasticLoadBalancingV2::LoadBalancer": {"kind": "Load balancers", "hourly": 0.02, "monthly": 5, "basis": "test"},
                   "AWS::SQS::Queue": {"kind": "SQS queues", "monthly": 4, "basis": "test"}},
         "free": ["AWS::ElasticLoadBalancingV2::*", "AWS::EC2::*", "AWS::IAM::*", "AWS::RDS::DBSubnetGroup"]}
        """;

    private static CostEstimate Estimate(string template) =>
        CostEstimator.Estimate(TemplateDocument.Parse(template, "t.json"), PriceTable.Parse(Prices));

    private static CostLine Line(CostEstimate estimate, string kind) => Assert.Single(estimate.Lines, l => l.Kind == kind);

    [Theory]
    // kind, minimum, maximum (hoursPerMonth = 100)
    [InlineData("EC2 instances", 2.0, 6.0)]            // 2–6 × 0.01 × 100
    [InlineData("EBS volumes", 4.0, 12.0)]             // 2–6 × 20 GiB × 0.1
    [InlineData("RDS instances", 4.0, 4.0)]            // Multi-AZ doubles: 2 × 0.02 × 100
    [InlineData("RDS storage", 40.0, 40.0)]            // Multi-AZ doubles: 2 × 100 GiB × 0.2
    [InlineData("ElastiCache nodes", 12.0, 12.0)]      // 2 shards × (1 + 1 replica) × 0.03 × 100
    [InlineData("Load balancers", 7.0, 7.0)]           // 0.02 × 100 + 5
    [InlineData("SQS queues", 4.0, 4.0)]
    public void MinimumAndMaximumFollowTheScalingBounds(string kind, double min, double max)
    {
        var line = Line(Estimate(Fixtures.Base), kind);
        Assert.Equal((decimal)min, line.Min);
        Assert.Equal((decimal)max, line.Max);
    }

    [Fact]
    public void TotalsAddEveryLineAndFreeTypesCostNothing()
    {
        var estimate = Estimate(Fixtures.Base);
        Assert.Equal(73m, estimate.Min);
        Assert.Equal(85m, estimate.Max);
        Assert.Equal(0, estimate.UnknownCount);
        Assert.Equal("$73.00", estimate.MinTotal);
        Assert.DoesNotContain(estimate.Lines, l => l.LogicalId is "Listener" or "DbSubnets" or "QueueAccess");
    }

    [Fact]
    public void AReadReplicaCountsAndReadsItsSourcesStorage()
    {
        var estimate = Estimate(Fixtures.Edit(r => r["Replica"] = System.Text.Json.Nodes.JsonNode.Parse(
            """{"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.t4g.micro", "SourceDBInstanceIdentifier": {"Ref": "Db"}}}""")));
        var replica = estimate.Lines.Where(l => l.LogicalId == "Replica").ToArray();
        Assert.Equal(2m, replica.Single(l => l.Kind == "RDS instances").Min);  // 1 × 0.02 × 100
        Assert.Equal(20m, replica.Single(l => l.Kind == "RDS storage").Min);   // 100 GiB × 0.2
    }

    [Fact]
    public void AClassMissingFromTheTableIsUnknownNeverZero()
    {
        var estimate = Estimate(Fixtures.Edit(r => r.Props("Db")["DBInstanceClass"] = "db.x2g.16xlarge"));
        var line = Line(estimate, "RDS instances");
        Assert.True(line.IsUnknown);
        Assert.Null(line.Min);
        Assert.Contains("db.x2g.16xlarge", line.Detail);
        Assert.Equal(1, estimate.UnknownCount);
        Assert.Equal("$69.00 + unknown items", estimate.MinTotal);
        Assert.Contains("unknown", Reports.CostMarkdown(estimate));
    }

    [Fact]
    public void AResourceTypeMissingFromTheTableIsUnknown()
    {
        var estimate = Estimate(Fixtures.Edit(r => r["Stream"] = System.Text.Json.Nodes.JsonNode.Parse("""{"Type": "AWS::Kinesis::Stream"}""")));
        var line = Assert.Single(estimate.Lines, l => l.LogicalId == "Stream");
        Assert.True(line.IsUnknown);
        Assert.Contains("AWS::Kinesis::Stream", line.Detail);
        Assert.EndsWith("+ unknown items", estimate.MaxTotal);
    }

    [Fact]
    public void TheShippedTableNamesRegionDateAndSourceAndPricesTheCommonClasses()
    {
        var table = PriceTable.Default;
        Assert.Equal("us-east-1", table.Region);
        Assert.False(string.IsNullOrWhiteSpace(table.Date));
        Assert.False(string.IsNullOrWhiteSpace(table.Source));
        foreach (var (service, cls) in new[] { ("ec2", "t3.micro"), ("ec2", "m6i.large"), ("ec2", "r7g.large"), ("elasticache", "cache.r7g.large"),
                     ("rds", "db.r6g.large"), ("mq", "mq.m5.large"), ("msk", "kafka.m5.large"), ("opensearch", "r6g.large.search") })
            Assert.True(table.Hourly(service, cls) > 0, $"{service} {cls}");
    }
}
