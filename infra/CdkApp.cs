using Amazon.CDK;
using ScalableBackend.Stacks;
using ScalableBackend.Stacks.Config;
using Spectre.Console;

namespace ScalableBackend.Infra;

/// <summary>
/// The CDK app as the CDK CLI runs it (<c>npx cdk synth|diff|deploy</c>, with <c>CDK_OUTDIR</c> set): every
/// environment becomes a stack named <c>Backend-&lt;Env&gt;</c> in one cloud assembly.
/// </summary>
public static class CdkApp
{
    /// <summary>Validates every environment, then synthesizes them all; returns the exit code.</summary>
    public static int Run(IAnsiConsole console)
    {
        IReadOnlyList<EnvironmentDefinition> definitions;
        try
        {
            definitions = EnvironmentLoader.Environments.Select(name => EnvironmentLoader.Load(name)).ToArray();
        }
        catch (ConfigException e)
        {
            return Cli.ReportError(console, e);
        }
        // Passed explicitly: the CDK reads CDK_OUTDIR in its Node.js process, whose environment is fixed when it starts.
        var app = new App(new AppProps { Outdir = System.Environment.GetEnvironmentVariable("CDK_OUTDIR") });
        BackendSynthesizer.AddStacks(app, definitions);
        app.Synth();
        return 0;
    }
}
