namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-ELB-001/002/003/005: each branch of the load-balancer rules, one small template per case.</summary>
public sealed class LoadBalancerBranchTests
{
    private static IReadOnlyList<Finding> Check(string yaml, string rule) => TestTemplates.Check(yaml).Only(rule);

    private static string Classic(string properties) => $$"""
        Resources:
          Lb:
            Type: AWS::ElasticLoadBalancing::LoadBalancer
            Properties: {{properties}}
        """;

    // ---------------- SB-ELB-001 access logs

    [Theory]
    [InlineData("{ Enabled: false, S3BucketName: logs }", "AccessLoggingPolicy.Enabled is false")]
    [InlineData("{ S3BucketName: logs }", "AccessLoggingPolicy.Enabled is missing")]
    public void A_classic_load_balancer_without_enabled_access_logging_is_reported_once(string policy, string expected)
    {
        var finding = Assert.Single(Check(Classic($"{{ AccessLoggingPolicy: {policy}, Listeners: [] }}"), "SB-ELB-001"));

        Assert.Equal("Lb", finding.LogicalId);
        Assert.Equal(expected, finding.Message);
    }

    [Fact]
    public void A_classic_load_balancer_without_any_access_logging_policy_is_reported_as_missing()
    {
        Assert.Equal("AccessLoggingPolicy.Enabled is missing", Assert.Single(Check(Classic("{ Listeners: [] }"), "SB-ELB-001")).Message);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("!Ref LogsOn")]
    public void A_classic_load_balancer_with_access_logging_enabled_or_unknown_passes(string enabled)
    {
        Assert.Empty(Check(Classic($"{{ AccessLoggingPolicy: {{ Enabled: {enabled}, S3BucketName: logs }} }}"), "SB-ELB-001"));
    }

    private static string V2(string type, string listenerProtocols = "") => $$"""
        Resources:
          Lb:
            Type: AWS::ElasticLoadBalancingV2::LoadBalancer
            Properties: { Type: {{type}}, Subnets: [a, b] }
        {{string.Concat(listenerProtocols.Split(',', StringSplitOptions.RemoveEmptyEntries).Select((p, i) => $"  L{i}:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties: {{ LoadBalancerArn: !Ref Lb, Port: {443 + i}, Protocol: {p}, DefaultActions: [{{ Type: forward, TargetGroupArn: t }}] }}\n"))}}
        """;

    [Fact]
    public void A_gateway_load_balancer_without_access_logs_passes()
    {
        Assert.Empty(Check(V2("gateway"), "SB-ELB-001"));
    }

    [Fact]
    public void An_application_load_balancer_without_access_logs_is_reported()
    {
        var finding = Assert.Single(Check(V2("application"), "SB-ELB-001"));

        Assert.Equal("Lb", finding.LogicalId);
        Assert.Equal("attribute access_logs.s3.enabled is missing", finding.Message);
    }

    [Fact]
    public void A_network_load_balancer_with_only_tcp_listeners_passes_without_access_logs()
    {
        Assert.Empty(Check(V2("network", "TCP,UDP"), "SB-ELB-001"));
    }

    [Fact]
    public void A_network_load_balancer_with_one_tls_listener_among_others_needs_access_logs()
    {
        Assert.Single(Check(V2("network", "TCP,TLS"), "SB-ELB-001"));
    }

    // ---------------- SB-ELB-002 encrypted listeners

    [Theory]
    [InlineData("{ Protocol: HTTP, LoadBalancerPort: 80, InstancePort: 80 }", "classic listener on port 80 uses HTTP")]
    [InlineData("{ Protocol: HTTP, InstancePort: 80 }", "classic listener on port ? uses HTTP")]
    public void An_internet_facing_classic_load_balancer_is_reported_for_each_http_listener(string listener, string expected)
    {
        var findings = Check(Classic($"{{ Listeners: [{listener}, {{ Protocol: HTTPS, LoadBalancerPort: 443, InstancePort: 80 }}] }}"), "SB-ELB-002");

        var finding = Assert.Single(findings);
        Assert.Equal("Lb", finding.LogicalId);
        Assert.Equal(expected, finding.Message);
    }

    [Fact]
    public void A_classic_load_balancer_without_listeners_passes()
    {
        Assert.Empty(Check(Classic("{ Subnets: [a, b] }"), "SB-ELB-002"));
    }

    [Fact]
    public void An_internal_classic_load_balancer_with_an_http_listener_passes()
    {
        Assert.Empty(Check(Classic("{ Scheme: internal, Listeners: [{ Protocol: HTTP, LoadBalancerPort: 80, InstancePort: 80 }] }"), "SB-ELB-002"));
    }

    private static string HttpListener(string extra) => $$"""
        Resources:
          Http:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties:
              Protocol: HTTP
        {{extra}}
        """;

    [Fact]
    public void An_http_listener_without_a_port_is_reported_with_a_question_mark_for_the_port()
    {
        var finding = Assert.Single(Check(HttpListener("      DefaultActions: [{ Type: forward, TargetGroupArn: t }]"), "SB-ELB-002"));

        Assert.Equal("Http", finding.LogicalId);
        Assert.Equal("HTTP listener on port ? does not only redirect to HTTPS", finding.Message);
    }

    [Theory]
    [InlineData("      DefaultActions: []", "no default action")]
    [InlineData("      DefaultActions:\n        - { Type: redirect, RedirectConfig: { Protocol: HTTPS } }\n        - { Type: forward, TargetGroupArn: t }", "a redirect beside a forward")]
    [InlineData("      DefaultActions: [{ Type: redirect, RedirectConfig: { Protocol: HTTP, Port: \"8080\" } }]", "a redirect to plain HTTP")]
    [InlineData("      DefaultActions: [{ Type: forward, RedirectConfig: { Protocol: HTTPS } }]", "a forward with a stray redirect config")]
    public void An_http_listener_that_does_not_only_redirect_to_https_is_reported(string actions, string why)
    {
        Assert.True(Check(HttpListener("      Port: 80\n" + actions), "SB-ELB-002").Count == 1, why);
    }

    [Fact]
    public void An_http_listener_whose_every_default_action_redirects_to_https_passes()
    {
        var actions = "      DefaultActions:\n        - { Type: redirect, RedirectConfig: { Protocol: HTTPS } }\n        - { Type: redirect, RedirectConfig: { Protocol: HTTPS, Port: \"443\" } }";

        Assert.Empty(Check(HttpListener("      Port: 80\n" + actions), "SB-ELB-002"));
    }

    // ---------------- SB-ELB-003 modern TLS policy

    private static string Listener(string protocol, string? policy) => $$"""
        Resources:
          Secure:
            Type: AWS::ElasticLoadBalancingV2::Listener
            Properties: { Port: 443, Protocol: {{protocol}}{{(policy is null ? "" : $", SslPolicy: {policy}")}} }
        """;

    [Theory]
    [InlineData("HTTPS")]
    [InlineData("TLS")]
    public void A_secure_listener_with_an_old_policy_is_reported(string protocol)
    {
        var finding = Assert.Single(Check(Listener(protocol, "ELBSecurityPolicy-2016-08"), "SB-ELB-003"));

        Assert.Equal("Secure", finding.LogicalId);
        Assert.Equal("SslPolicy ELBSecurityPolicy-2016-08 allows TLS versions older than 1.2", finding.Message);
    }

    [Theory]
    [InlineData("HTTPS")]
    [InlineData("TLS")]
    public void A_secure_listener_without_a_policy_is_told_to_set_one(string protocol)
    {
        var finding = Assert.Single(Check(Listener(protocol, null), "SB-ELB-003"));

        Assert.Equal("SslPolicy is missing; set a TLS 1.2+ policy explicitly", finding.Message);
    }

    [Theory]
    [InlineData("ELBSecurityPolicy-TLS13-1-2-2021-06")]
    [InlineData("ELBSecurityPolicy-TLS13-1-3-2021-06")]
    [InlineData("ELBSecurityPolicy-TLS-1-2-2017-01")]
    [InlineData("ELBSecurityPolicy-FS-1-2-Res-2020-10")]
    [InlineData("!Ref Policy")]
    public void A_secure_listener_with_a_tls_1_2_policy_or_an_unknown_one_passes(string policy)
    {
        Assert.Empty(Check(Listener("TLS", policy), "SB-ELB-003"));
    }

    [Theory]
    [InlineData("TCP")]
    [InlineData("HTTP")]
    [InlineData("UDP")]
    public void A_plain_listener_needs_no_policy(string protocol)
    {
        Assert.Empty(Check(Listener(protocol, null), "SB-ELB-003"));
    }

    // ---------------- SB-ELB-005 target group health checks

    private static string TargetGroup(string properties) => $$"""
        Resources:
          Targets:
            Type: AWS::ElasticLoadBalancingV2::TargetGroup
            Properties: {{properties}}
        """;

    [Fact]
    public void A_lambda_target_group_with_health_checks_off_passes()
    {
        Assert.Empty(Check(TargetGroup("{ TargetType: lambda, HealthCheckEnabled: false }"), "SB-ELB-005"));
    }

    [Theory]
    [InlineData("{ TargetType: instance, HealthCheckEnabled: false }")]
    [InlineData("{ Port: 80, Protocol: HTTP, HealthCheckEnabled: false }")]
    public void A_target_group_with_health_checks_off_is_reported_once_for_that(string properties)
    {
        var finding = Assert.Single(Check(TargetGroup(properties), "SB-ELB-005"));

        Assert.Equal("Targets", finding.LogicalId);
        Assert.Equal("HealthCheckEnabled is false", finding.Message);
    }

    [Theory]
    [InlineData("{ Port: 443, Protocol: HTTPS }")]
    [InlineData("{ Port: 80, Protocol: TCP, HealthCheckProtocol: HTTP }")]
    [InlineData("{ Port: 80, Protocol: TCP, HealthCheckProtocol: HTTPS }")]
    public void An_http_health_check_without_a_path_is_reported_as_the_default_slash(string properties)
    {
        Assert.Equal("HealthCheckPath is missing (default \"/\")", Assert.Single(Check(TargetGroup(properties), "SB-ELB-005")).Message);
    }

    [Theory]
    [InlineData("{ Port: 80, Protocol: TCP }")]
    [InlineData("{ Port: 80, Protocol: HTTP, HealthCheckProtocol: TCP }")]
    public void A_tcp_health_check_needs_no_path(string properties)
    {
        Assert.Empty(Check(TargetGroup(properties), "SB-ELB-005"));
    }

    [Fact]
    public void A_health_check_on_the_root_path_is_reported()
    {
        var finding = Assert.Single(Check(TargetGroup("{ Port: 80, Protocol: HTTP, HealthCheckPath: / }"), "SB-ELB-005"));

        Assert.Equal("HealthCheckPath is \"/\", which a static page answers while the application is broken", finding.Message);
    }
}
