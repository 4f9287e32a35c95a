namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-OS-002 on OpenSearch and legacy Elasticsearch domains; SB-S3-001 and SB-S3-003 on each bucket setting.</summary>
public sealed class DomainAndBucketBranchTests
{
    [Theory]
    [InlineData("AWS::OpenSearchService::Domain")]
    [InlineData("AWS::Elasticsearch::Domain")]
    public void A_domain_without_endpoint_options_needs_https_and_tls_1_2(string type)
    {
        var findings = TestTemplates.Check($"Resources:\n  Search: {{ Type: {type}, Properties: {{}} }}").Only("SB-OS-002");

        Assert.Equal(["DomainEndpointOptions.EnforceHTTPS is missing", "DomainEndpointOptions.TLSSecurityPolicy is missing (default allows TLS 1.0)"], findings.Select(f => f.Message));
        Assert.All(findings, f => Assert.Equal("Search", f.LogicalId));
    }

    [Theory]
    [InlineData("Policy-Min-TLS-1-0-2019-07", "DomainEndpointOptions.TLSSecurityPolicy is Policy-Min-TLS-1-0-2019-07")]
    public void A_domain_allowing_tls_before_1_2_is_reported_with_its_policy(string policy, string message)
    {
        var findings = TestTemplates.Check($"Resources:\n  Search: {{ Type: AWS::OpenSearchService::Domain, Properties: {{ DomainEndpointOptions: {{ EnforceHTTPS: true, TLSSecurityPolicy: {policy} }} }} }}").Only("SB-OS-002");

        Assert.Equal(message, Assert.Single(findings).Message);
    }

    [Theory]
    [InlineData("Policy-Min-TLS-1-2-2019-07")]
    [InlineData("Policy-Min-TLS-1-2-PFS-2023-10")]
    public void A_domain_requiring_https_and_tls_1_2_passes(string policy)
    {
        Assert.Empty(TestTemplates.Check($"Resources:\n  Search: {{ Type: AWS::OpenSearchService::Domain, Properties: {{ DomainEndpointOptions: {{ EnforceHTTPS: true, TLSSecurityPolicy: {policy} }} }} }}").Only("SB-OS-002"));
    }

    [Theory]
    [InlineData("{}", "BucketEncryption is missing")]
    [InlineData("{ BucketEncryption: {} }", "BucketEncryption is missing")]
    [InlineData("{ BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: AES256 } }] } }", null)]
    [InlineData("{ BucketEncryption: !If [Kms, { ServerSideEncryptionConfiguration: [] }, !Ref AWS::NoValue] }", null)]
    public void A_bucket_declares_encryption_or_leaves_it_to_an_intrinsic(string properties, string? message)
    {
        var findings = TestTemplates.Check($"Conditions:\n  Kms: !Equals [a, a]\nResources:\n  Bucket: {{ Type: AWS::S3::Bucket, Properties: {properties} }}").Only("SB-S3-001");

        Assert.Equal(message is null ? [] : [message], findings.Select(f => f.Message));
    }

    [Theory]
    [InlineData("BlockPublicAcls")]
    [InlineData("BlockPublicPolicy")]
    [InlineData("IgnorePublicAcls")]
    [InlineData("RestrictPublicBuckets")]
    public void Each_public_access_setting_turned_off_is_named(string setting)
    {
        var findings = TestTemplates.Check($"Resources:\n  Bucket: {{ Type: AWS::S3::Bucket, Properties: {{ PublicAccessBlockConfiguration: {{ {setting}: false }} }} }}").Only("SB-S3-003");

        Assert.Equal($"PublicAccessBlockConfiguration turns off {setting}", Assert.Single(findings).Message);
    }

    [Fact]
    public void All_four_public_access_settings_turned_off_are_named_in_order()
    {
        var findings = TestTemplates.Check("Resources:\n  Bucket: { Type: AWS::S3::Bucket, Properties: { PublicAccessBlockConfiguration: { RestrictPublicBuckets: false, IgnorePublicAcls: false, BlockPublicPolicy: false, BlockPublicAcls: false } } }").Only("SB-S3-003");

        Assert.Equal("PublicAccessBlockConfiguration turns off BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets", Assert.Single(findings).Message);
    }
}
