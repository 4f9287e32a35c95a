using System.Diagnostics;

namespace ScalableBackend.Policies.Tests;

/// <summary>
/// Every finding on the 93 AWS samples is pinned in Fixtures/corpus-findings.tsv with a reviewed verdict, so a rule
/// change that adds or removes a finding shows up here, and no finding in the file may be a false positive.
/// </summary>
public sealed class CorpusPrecisionTests
{
    private static readonly string[] TemplateExtensions = [".json", ".yaml", ".yml", ".template"];

    private static List<string> CorpusFiles()
    {
        var root = TestTemplates.CorpusDirectory();
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => TemplateExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static List<(string File, string Rule, string Resource, string Verdict)> Expectations() =>
        File.ReadLines(TestTemplates.Fixture("corpus-findings.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(cells => (cells[0], cells[1], cells[2], cells[3]))
            .ToList();

    private static SortedSet<string> Found()
    {
        var root = TestTemplates.CorpusDirectory();
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in CorpusFiles())
        {
            foreach (var finding in PolicyEngine.Default.Check(TemplateDocument.Load(file), "prod"))
            {
                found.Add($"{Path.GetRelativePath(root, file).Replace('\\', '/')}\t{finding.RuleId}\t{finding.LogicalId}");
            }
        }

        return found;
    }

    [Fact]
    public void Every_finding_on_the_samples_is_pinned_and_every_pinned_finding_is_found()
    {
        var expected = new SortedSet<string>(Expectations().Select(e => $"{e.File}\t{e.Rule}\t{e.Resource}"), StringComparer.Ordinal);

        var found = Found();

        Assert.Equal(expected.Except(found), Array.Empty<string>());
        Assert.Equal(found.Except(expected), Array.Empty<string>());
    }

    [Fact]
    public void No_pinned_finding_is_a_false_positive()
    {
        Assert.All(Expectations(), e => Assert.Equal("true", e.Verdict));
    }

    [Fact]
    public void The_issue_19_cases_are_caught_or_cleared()
    {
        var found = Found();
        bool Has(string file, string rule, string resource) => found.Contains($"{file}\t{rule}\t{resource}");

        // cleared: policies naming the bucket by the same Fn::Sub text as its BucketName
        Assert.DoesNotContain(found, f => f.StartsWith("S3/compliant-", StringComparison.Ordinal) && f.Contains("\tSB-S3-002\t", StringComparison.Ordinal));
        // caught: a TLS Deny on one prefix does not cover the bucket
        Assert.True(Has("ElasticLoadBalancing/ELB_Access_Logs_And_Connection_Draining.yaml", "SB-S3-002", "LogsBucket"));
        // caught: SSH open through a parameter default, and through a /0 CIDR that is not 0.0.0.0/0
        Assert.True(Has("ElasticLoadBalancing/ELBStickinessSample.yaml", "SB-EC2-002", "InstanceSecurityGroup"));
        Assert.True(Has("EC2/EC2InstanceWithSecurityGroupSample.yaml", "SB-EC2-002", "InstanceSecurityGroup"));
        // caught: the load balancer's group is also on the instances
        Assert.True(Has("ECS/ECS_Schedule_Example.yaml", "SB-EC2-004", "EcsSecurityGroupHTTPinbound"));
        // cleared: all traffic on an internet-facing load balancer's own group
        Assert.False(Has("ECS/FargateLaunchType/clusters/public-vpc.yaml", "SB-EC2-002", "PublicLoadBalancerSG"));
        // caught: an instance running IMDSv1; cleared: a launch template whose image is Amazon Linux 2023
        Assert.True(Has("ElasticLoadBalancing/ELBStickinessSample.yaml", "SB-EC2-003", "EC2Instance1"));
        Assert.False(Has("AutoScaling/AutoScalingMultiAZWithNotifications.yaml", "SB-EC2-003", "LaunchTemplate"));
        // caught: attached AWS managed full-access policies
        Assert.True(Has("Lambda/LambdaSample.yaml", "SB-IAM-003", "LambdaRole"));
        // cleared: an internal load balancer's HTTP listener; an NLB with only TCP listeners needs no access logs
        Assert.False(Has("ECS/FargateLaunchType/clusters/private-vpc.yaml", "SB-ELB-002", "PrivateLoadBalancerListener"));
        Assert.False(Has("ElasticLoadBalancing/NetworkLoadBalancerWithEIPs.yaml", "SB-ELB-001", "loadBalancer"));
        // caught: "/" as the health check path
        Assert.True(Has("ECS/ECS_Schedule_Example.yaml", "SB-ELB-005", "ECSTG"));
    }

    [Fact]
    public void Warnings_and_errors_follow_the_issue_19_severities()
    {
        Assert.Equal(Severity.Warning, PolicyRules.Find("SB-SNS-001")!.Severity);
        Assert.Equal(Severity.Warning, PolicyRules.Find("SB-S3-001")!.Severity);
        Assert.Equal(Severity.Warning, PolicyRules.Find("SB-SNS-002")!.Severity);
        Assert.Equal(Severity.Warning, PolicyRules.Find("SB-SQS-002")!.Severity);
        Assert.Equal(Severity.Error, PolicyRules.Find("SB-S3-002")!.Severity);
        Assert.All(PolicyRules.Checks, r => Assert.StartsWith("https://docs.aws.amazon.com/", r.Descriptor.Source));
    }

    [Fact]
    public void All_93_samples_are_read_and_checked_in_under_a_second_of_processor_time()
    {
        var files = CorpusFiles();
        var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;

        var findings = files.Sum(f => PolicyEngine.Default.Check(TemplateDocument.Load(f), "prod").Count);

        process.Refresh();
        var used = process.TotalProcessorTime - before;
        Assert.Equal(93, files.Count);
        Assert.True(findings > 0);
        Assert.True(used < TimeSpan.FromSeconds(1), $"reading and checking the samples took {used.TotalMilliseconds:F0} ms of processor time");
    }
}
