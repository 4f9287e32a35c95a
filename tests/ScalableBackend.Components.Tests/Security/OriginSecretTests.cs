using ScalableBackend.Components.Security;

namespace ScalableBackend.Components.Tests.Security;

public sealed class OriginSecretTests(SecurityFixture security) : IClassFixture<SecurityFixture>
{
    [Fact]
    public void TheSecretIsGeneratedInSecretsManagerAsLettersAndDigits()
    {
        var secret = security.Result.Single("AWS::SecretsManager::Secret");
        var generate = secret["GenerateSecretString"]!;
        Assert.Equal("v1", (string?)generate["GenerateStringKey"]);
        Assert.Equal(64, (int)generate["PasswordLength"]!);
        Assert.True((bool)generate["ExcludePunctuation"]!);
        Assert.Null(secret["SecretString"]);
    }

    [Fact]
    public void TheCheckSendsAndAcceptsDynamicReferencesNeverTheValue()
    {
        var check = security.Origin.Check;
        Assert.Equal("x-origin-verify", check.HeaderName);
        Assert.Contains("{{resolve:secretsmanager:", Resolved(check.SentValue));
        Assert.Contains(":SecretString:v1", Resolved(check.SentValue));
        Assert.Single(check.AcceptedValues);
    }

    [Fact]
    public void AfterARotationTheLoadBalancerAcceptsThePreviousAndTheCurrentValueAndTheApiSendsTheCurrent()
    {
        var check = OriginCheck.ForSecret("backend/prod/origin-verify", 2);
        Assert.Equal("{{resolve:secretsmanager:backend/prod/origin-verify:SecretString:v2}}", check.SentValue);
        Assert.Equal(
            ["{{resolve:secretsmanager:backend/prod/origin-verify:SecretString:v1}}", "{{resolve:secretsmanager:backend/prod/origin-verify:SecretString:v2}}"],
            check.AcceptedValues);
    }

    [Fact]
    public void AGenerationBelowOneIsRejected() =>
        Assert.Equal("Generation = 0 must be at least 1",
            Assert.Throws<PropsValidationException>(() => OriginSecret.Validate(new OriginSecretSettings { Generation = 0 })).Detail);

    private string Resolved(string value) => System.Text.Json.JsonSerializer.Serialize(Amazon.CDK.Stack.Of(security.Origin).Resolve(value));
}
