using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ScalableBackend.Components.Tests.Support;

/// <summary>Runs a function's inline source with node, as Lambda would load it (<c>index.js</c>), under a test script.</summary>
public static class NodeScript
{
    /// <summary>
    /// Writes <paramref name="handlerSource"/> as <c>index.js</c> and a <c>test.js</c> of <paramref name="prelude"/> followed
    /// by <paramref name="script"/> in an async block, runs it with node in a temporary folder, asserts exit code 0 and
    /// parses what it printed.
    /// </summary>
    public static JsonNode Run(string handlerSource, string prelude, string script)
    {
        var dir = Directory.CreateTempSubdirectory("sb-node-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "index.js"), handlerSource);
            File.WriteAllText(Path.Combine(dir, "test.js"),
                prelude + "\n(async () => {\n" + script + "\n})().catch(e => { console.error(e.stack || e); process.exit(2); });\n");
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
            start.ArgumentList.Add("test.js");
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"node exited {process.ExitCode}: {stderr.Result}");
            return JsonNode.Parse(stdout)!;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
