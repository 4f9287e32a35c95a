namespace ScalableBackend.Policies.Tests;

/// <summary>The real AWS sample templates in shared/corpus/aws-samples: read and checked without exception.</summary>
public sealed class CorpusTests
{
    private static readonly string[] TemplateExtensions = [".json", ".yaml", ".yml", ".template"];

    public static TheoryData<string> CorpusFiles()
    {
        var root = TestTemplates.CorpusDirectory();
        return new TheoryData<string>(Directory
            .EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => TemplateExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => Path.GetRelativePath(root, f))
            .Order(StringComparer.Ordinal));
    }

    private static string Corpus(string relative) => Path.Combine(TestTemplates.CorpusDirectory(), relative);

    [Fact]
    public void Corpus_holds_the_93_sample_templates()
    {
        Assert.Equal(93, CorpusFiles().Count);
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_template_loads_and_checks(string relative)
    {
        var template = TemplateDocument.Load(Corpus(relative));

        var findings = PolicyEngine.Default.Check(template, "prod");

        Assert.NotEmpty(template.Resources);
        Assert.All(findings, f => Assert.NotNull(template.GetResource(f.LogicalId)));
    }

    /// <summary>
    /// The JSON and YAML editions of a sample give the same findings, except where the editions really differ:
    /// public-vpc's JSON launches its group from a launch configuration, its YAML from a launch template (SB-ASG-005).
    /// </summary>
    [Theory]
    [InlineData("SNS/SNSTopic", null)]
    [InlineData("RDS/RDS_with_DBParameterGroup", null)]
    [InlineData("ElastiCache/Elasticache-snapshot", null)]
    [InlineData("ECS/EC2LaunchType/clusters/public-vpc", "SB-ASG-005")]
    [InlineData("ElasticLoadBalancing/ELBWithLockedDownAutoScaledInstances", null)]
    public void Json_and_yaml_versions_of_a_sample_give_the_same_findings(string relative, string? onlyInJson)
    {
        var json = PolicyEngine.Default.Check(TemplateDocument.Load(Corpus(Path.ChangeExtension(relative, ".json"))), "prod");
        var yaml = PolicyEngine.Default.Check(TemplateDocument.Load(Corpus(Path.ChangeExtension(relative, ".yaml"))), "prod");

        if (onlyInJson is not null)
        {
            Assert.Contains(json, f => f.RuleId == onlyInJson);
            Assert.DoesNotContain(yaml, f => f.RuleId == onlyInJson);
        }
        Assert.Equal(
            json.Where(f => f.RuleId != onlyInJson).Select(f => (f.RuleId, f.LogicalId, f.Message)),
            yaml.Select(f => (f.RuleId, f.LogicalId, f.Message)));
    }

    [Theory]
    [InlineData("AutoScaling/AutoScalingMultiAZWithNotifications.json", "SB-ELB-003", "LoadBalancerListener")]
    [InlineData("AutoScaling/AutoScalingMultiAZWithNotifications.json", "SB-EC2-001", "LaunchTemplate")]
    [InlineData("ElastiCache/Elasticache-snapshot.yaml", "SB-EC-001", "RedisReplicationGroup")]
    [InlineData("ElastiCache/Elasticache-snapshot.yaml", "SB-EC-002", "RedisReplicationGroup")]
    [InlineData("RDS/RDS_with_DBParameterGroup.json", "SB-RDS-002", "MyDB")]
    [InlineData("ECS/EC2LaunchType/clusters/public-vpc.json", "SB-ASG-004", "ECSAutoScalingGroup")]
    [InlineData("ElasticLoadBalancing/ELBStickinessSample.yaml", "SB-EC2-002", "InstanceSecurityGroup")]
    [InlineData("ElasticLoadBalancing/ELBWithLockedDownAutoScaledInstances.json", "SB-ASG-001", "WebServerGroup")]
    [InlineData("SNS/SNSTopic.yaml", "SB-SNS-001", "SNSTopic")]
    public void Known_finding_in_a_sample(string relative, string ruleId, string logicalId)
    {
        var findings = PolicyEngine.Default.Check(TemplateDocument.Load(Corpus(relative)), "prod").Only(ruleId);

        Assert.Contains(findings, f => f.LogicalId == logicalId);
    }

    [Fact]
    public void Encrypted_sample_database_with_NoEcho_password_is_not_flagged()
    {
        var findings = PolicyEngine.Default.Check(TemplateDocument.Load(Corpus("RDS/RDS_MySQL_With_Read_Replica.json")), "prod");

        Assert.DoesNotContain(findings, f => f.RuleId is "SB-RDS-001" or "SB-SEC-001" or "SB-RDS-006");
        Assert.Contains(findings, f => f.RuleId == "SB-RDS-005" && f.LogicalId == "MainDB");
    }
}
