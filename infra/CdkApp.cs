using Amazon.CDK;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;
using Spectre.Console;

namespace ScalableBackend.Infra;

/// <summary>
/// The CDK app as the CDK CLI runs it (<c>npx cdk synth|ls|diff|deploy</c>, with <c>CDK_OUTDIR</c> set): every stack of
/// every environment (<c>Backend-&lt;Env&gt;-Platform</c>, <c>-Data</c>, …) in one cloud assembly, with the dependencies
/// between them, so <c>npx cdk deploy 'Backend-Prod-*'</c> deploys an environment in order.
/// </summary>
public static class CdkApp
{
    /// <summary>Validates every environment, then synthesizes them all; returns the exit code. Errors go to <paramref name="errors"/>.</summary>
    public static int Run(IAnsiConsole errors)
    {
        IReadOnlyList<EnvironmentDefinition> definitions;
        try
        {
            definitions = EnvironmentLoader.Environments.Select(name => EnvironmentLoader.Load(name)).ToArray();
        }
        catch (ConfigException e)
        {
            return Cli.ReportError(errors, e);
        }
        // Passed explicitly: the CDK reads CDK_OUTDIR in its Node.js process, whose environment is fixed when it starts.
        var app = new App(new AppProps { Outdir = System.Environment.GetEnvironmentVariable("CDK_OUTDIR") });
        BackendSynthesizer.AddStacks(app, definitions);
        app.Synth();
        return 0;
    }
}
