using ScalableBackend.Infra.Simulation;

namespace ScalableBackend.Simulation.Tests;

/// <summary>Which templates are read and which service or worker each group belongs to.</summary>
public sealed class TemplateReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-sim-templates-").FullName;

    private static string Tagged(string logicalId, string tag, string key) => """
        {"Resources": {"@logicalId@": {"Type": "AWS::AutoScaling::AutoScalingGroup",
          "Properties": {"MinSize": "1", "MaxSize": "4",
            "Tags": [{"Key": "@tag@", "Value": "@key@", "PropagateAtLaunch": true}]}}}}
        """.Replace("@logicalId@", System.Convert.ToString(logicalId, System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal).Replace("@tag@", System.Convert.ToString(tag, System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal).Replace("@key@", System.Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);

    [Fact]
    public void The_stack_set_of_an_environment_is_read_and_each_group_is_named_by_its_tag()
    {
        File.WriteAllText(Path.Combine(_dir, "Backend-Prod-Platform.template.json"), """{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {}}}}""");
        File.WriteAllText(Path.Combine(_dir, "Backend-Prod-Service-OrdersApi.template.json"), Tagged("Group1A2B", TemplateReader.ServiceTag, "orders-api"));
        File.WriteAllText(Path.Combine(_dir, "Backend-Prod-Worker-Billing.template.json"), Tagged("GroupC3D4", TemplateReader.WorkerTag, "billing"));
        File.WriteAllText(Path.Combine(_dir, "Backend-Dev-Service-OrdersApi.template.json"), Tagged("Group1A2B", TemplateReader.ServiceTag, "orders-api"));

        var files = TemplateReader.Locate(_dir, "Backend-Prod");
        var set = TemplateReader.Read(files, ["orders-api"], ["billing"]);

        Assert.Equal(["Backend-Prod-Platform", "Backend-Prod-Service-OrdersApi", "Backend-Prod-Worker-Billing"],
            files.Select(f => Path.GetFileName(f).Replace(".template.json", "", StringComparison.Ordinal)));
        Assert.Equal([("Backend-Prod-Service-OrdersApi", GroupKind.Service, "orders-api"), ("Backend-Prod-Worker-Billing", GroupKind.Worker, "billing")],
            set.Groups.Select(g => (g.Stack, g.Kind, g.Key)));
    }

    [Fact]
    public void In_a_single_template_groups_are_named_by_their_logical_id_prefix_longest_key_first()
    {
        var json = """
            {"Resources": {
              "ServiceApiAdminGroupASG1": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2"}},
              "ServiceApiGroupASG2": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2"}},
              "Unrelated": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "2"}}}}
            """;
        var set = TemplateReader.Read(Policies.TemplateDocument.Parse(json, "Backend-Prod.template.json"), "Backend-Prod", ["api", "api-admin"], []);

        Assert.Equal([("ServiceApiAdminGroupASG1", "api-admin"), ("ServiceApiGroupASG2", "api")], set.Groups.Select(g => (g.LogicalId, g.Key)));
        Assert.Contains(set.NotSimulated, r => r.StartsWith("Backend-Prod/Unrelated:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_template_directory_or_stack_is_one_clear_error()
    {
        Assert.Equal($"{_dir}: no Backend-Prod.template.json or Backend-Prod-*.template.json; synthesize first (synth --env …)",
            Assert.Throws<InvalidDataException>(() => TemplateReader.Locate(_dir, "Backend-Prod")).Message);
    }

    [Fact]
    public void Cron_fields_read_as_unix_cron()
    {
        var cron = CronSchedule.Parse("*/15 7-9 * * MON-FRI");
        Assert.True(cron.Matches(new DateTime(2026, 1, 5, 7, 45, 0)));   // Monday
        Assert.False(cron.Matches(new DateTime(2026, 1, 5, 7, 50, 0)));
        Assert.False(cron.Matches(new DateTime(2026, 1, 4, 8, 0, 0)));   // Sunday
        var either = CronSchedule.Parse("0 0 1 * 0");                  // the 1st, or any Sunday
        Assert.True(either.Matches(new DateTime(2026, 1, 4, 0, 0, 0)));
        Assert.True(either.Matches(new DateTime(2026, 1, 1, 0, 0, 0)));
        Assert.True(CronSchedule.Parse("0 0 * * 7").Matches(new DateTime(2026, 1, 4, 0, 0, 0)));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
