using BenchmarkDotNet.Attributes;

namespace ScalableBackend.Policies.Benchmarks;

/// <summary>Time of <see cref="PolicyEngine.Check"/> on a generated 1,000-resource production template.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class CheckBenchmark
{
    private TemplateDocument _template = null!;

    /// <summary>Resources in the generated template.</summary>
    [Params(1000)]
    public int Resources { get; set; }

    /// <summary>Builds the template once; parsing is not part of the measured check.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _template = TemplateDocument.FromJson(GeneratedTemplate.Build(Resources), "Backend-Prod.template.json");
        if (_template.Resources.Count != Resources)
        {
            throw new InvalidOperationException($"generated {_template.Resources.Count} resources, expected {Resources}");
        }
    }

    /// <summary>One full check: reference graph, every rule, acknowledgements.</summary>
    [Benchmark]
    public int Check() => PolicyEngine.Default.Check(_template, "prod").Count;
}
