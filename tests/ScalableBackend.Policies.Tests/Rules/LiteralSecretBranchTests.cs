namespace ScalableBackend.Policies.Tests.Rules;

/// <summary>SB-SEC-001 walks nested objects and lists and reports each literal secret by its property path.</summary>
public sealed class LiteralSecretBranchTests
{
    private static IReadOnlyList<Finding> Check(string properties) =>
        TestTemplates.Check($$"""
            Resources:
              Thing: { Type: Custom::Thing, Properties: {{properties}} }
            """).Only("SB-SEC-001");

    private const string Literal = "is a literal string; use a Secrets Manager dynamic reference";

    [Theory]
    [InlineData("{ Environment: { Variables: { DB_PASSWORD: hunter2 } } }", "Environment.Variables.DB_PASSWORD")]
    [InlineData("{ Users: [{ Username: admin, Password: hunter2 }] }", "Users[0].Password")]
    [InlineData("{ Users: [{ Username: a, Password: \"{{resolve:secretsmanager:s}}\" }, { Username: b, Password: hunter2 }] }", "Users[1].Password")]
    [InlineData("{ Outer: { Items: [[{ ApiKey: abc }]] } }", "Outer.Items[0][0].ApiKey")]
    public void A_nested_literal_secret_is_reported_with_its_path(string properties, string path)
    {
        var finding = Assert.Single(Check(properties));

        Assert.Equal("Thing", finding.LogicalId);
        Assert.Equal($"{path} {Literal}", finding.Message);
    }

    [Theory]
    [InlineData("Secret_String")]
    [InlineData("SecretString")]
    [InlineData("secret-string")]
    [InlineData("Api_Key")]
    [InlineData("auth-token")]
    [InlineData("Private_Key")]
    public void Keys_spelled_with_underscores_dashes_or_any_case_look_secret(string key)
    {
        Assert.Equal($"{key} {Literal}", Assert.Single(Check($"{{ {key}: abc123 }}")).Message);
    }

    [Theory]
    [InlineData("{ SecretStringTemplate: abc }")]
    [InlineData("{ PasswordLength: abc }")]
    [InlineData("{ Environment: { Variables: { DB_PASSWORD: \"{{resolve:ssm-secure:/db/password}}\" } } }")]
    public void Keys_that_only_start_like_a_secret_or_dynamic_references_pass(string properties)
    {
        Assert.Empty(Check(properties));
    }
}
