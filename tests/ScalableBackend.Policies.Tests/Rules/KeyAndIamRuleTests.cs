namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-KMS-001's key kinds and values, and the IAM rules' resource types and statement names.</summary>
public sealed class KeyAndIamRuleTests
{
    private static IReadOnlyList<Finding> Key(string properties) => TestTemplates.Check($$"""
        Parameters:
          Rotate: { Type: String, Default: "false" }
          Spec: { Type: String }
        Resources:
          Key:
            Type: AWS::KMS::Key
            Properties: {{properties}}
        """).Only("SB-KMS-001");

    [Theory]
    [InlineData("{ KeySpec: RSA_2048 }", "an asymmetric key")]
    [InlineData("{ KeySpec: HMAC_256, KeyUsage: GENERATE_VERIFY_MAC }", "an HMAC key")]
    [InlineData("{ KeyUsage: SIGN_VERIFY }", "a signing key")]
    [InlineData("{ Origin: EXTERNAL }", "imported key material")]
    [InlineData("{ KeySpec: !Ref Spec }", "an unknown key spec")]
    [InlineData("{ EnableKeyRotation: !Ref Unknown }", "an unknown rotation")]
    [InlineData("{ EnableKeyRotation: true, KeySpec: SYMMETRIC_DEFAULT, KeyUsage: ENCRYPT_DECRYPT, Origin: AWS_KMS }", "a rotating symmetric key")]
    public void Keys_that_cannot_rotate_or_may_rotate_pass(string properties, string why)
    {
        Assert.True(Key(properties).Count == 0, why);
    }

    [Theory]
    [InlineData("{ KeySpec: SYMMETRIC_DEFAULT, KeyUsage: ENCRYPT_DECRYPT }", "EnableKeyRotation is missing (no rotation)")]
    [InlineData("{ EnableKeyRotation: \"false\" }", "EnableKeyRotation is false")]
    [InlineData("{ EnableKeyRotation: !Ref Rotate }", "EnableKeyRotation is false (parameter Rotate by default)")]
    [InlineData("{ Origin: AWS_CLOUDHSM }", "EnableKeyRotation is missing (no rotation)")]
    public void Symmetric_encryption_keys_without_rotation_fail(string properties, string message)
    {
        Assert.Equal(message, Assert.Single(Key(properties)).Message);
    }

    [Theory]
    [InlineData("AWS::IAM::Policy")]
    [InlineData("AWS::IAM::ManagedPolicy")]
    [InlineData("AWS::IAM::RolePolicy")]
    [InlineData("AWS::IAM::UserPolicy")]
    [InlineData("AWS::IAM::GroupPolicy")]
    public void Every_policy_type_is_judged_by_the_wildcard_rules(string type)
    {
        var findings = TestTemplates.Check($$"""
            Resources:
              Admin:
                Type: {{type}}
                Properties:
                  PolicyName: admin
                  PolicyDocument: { Statement: [{ Sid: All, Effect: Allow, Action: "*", Resource: "*" }] }
            """);

        Assert.Equal("PolicyDocument statement All allows Action \"*\"", Assert.Single(findings.Only("SB-IAM-001")).Message);
        Assert.Equal("PolicyDocument statement All allows Resource \"*\"", Assert.Single(findings.Only("SB-IAM-002")).Message);
    }

    [Theory]
    [InlineData("AWS::IAM::Role")]
    [InlineData("AWS::IAM::User")]
    [InlineData("AWS::IAM::Group")]
    public void Every_principal_type_is_judged_for_inline_and_managed_policies(string type)
    {
        var findings = TestTemplates.Check($$"""
            Resources:
              Principal:
                Type: {{type}}
                Properties:
                  ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
                  Policies:
                    - PolicyDocument: { Statement: [{ Effect: Deny, Action: "s3:*", Resource: "*" }, { Effect: Allow, Action: "*:*", Resource: "arn:aws:s3:::b" }] }
                    - PolicyName: named
                      PolicyDocument: { Statement: [{ Effect: Allow, Action: "s3:GetObject", Resource: ["arn:aws:s3:::b/*", "*"] }] }
            """);

        Assert.Equal("Policies[0] statement 1 allows Action \"*\"", Assert.Single(findings.Only("SB-IAM-001")).Message);
        Assert.Equal("Policies[named] statement 0 allows Resource \"*\"", Assert.Single(findings.Only("SB-IAM-002")).Message);
        Assert.StartsWith("ManagedPolicyArns attaches AWS managed AdministratorAccess (admin: ", Assert.Single(findings.Only("SB-IAM-003")).Message, StringComparison.Ordinal);
    }
}
