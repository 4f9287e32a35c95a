using BenchmarkDotNet.Running;
using ScalableBackend.Policies.Benchmarks;

// `-- --write-template FILE [RESOURCES]` writes the generated template (default 1,000 resources) for the cdk-nag
// comparison in benchmarks/cdk-nag; anything else runs BenchmarkDotNet.
if (args.Length >= 2 && args[0] == "--write-template")
{
    var count = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;
    File.WriteAllText(args[1], GeneratedTemplate.Build(count).ToJsonString());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(CheckBenchmark).Assembly).Run(args);
