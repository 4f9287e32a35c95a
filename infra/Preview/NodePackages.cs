using System.Diagnostics;

namespace ScalableBackend.Infra.Preview;

/// <summary>
/// The repository's npm packages (<c>package.json</c>, pinned by <c>package-lock.json</c>), installed on first use:
/// when <c>node_modules</c> is missing or older than the lock file, <c>npm ci</c> runs in the repository root first,
/// so README's commands need no separate set-up step. Nothing else is installed, and nothing runs when up to date.
/// </summary>
public static class NodePackages
{
    /// <summary>The repository root: the nearest folder holding <c>package-lock.json</c> above the current directory, then above the tool.</summary>
    public static string? Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "package-lock.json")) && File.Exists(Path.Combine(dir.FullName, "package.json")))
                    return dir.FullName;
        return null;
    }

    /// <summary>True when <paramref name="root"/>'s <c>node_modules</c> is missing or older than its lock file (what <c>npm ci</c> would change).</summary>
    public static bool NeedsInstall(string root)
    {
        var installed = Path.Combine(root, "node_modules", ".package-lock.json");
        return !File.Exists(installed) || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(root, "package-lock.json"));
    }

    /// <summary>
    /// Runs <c>npm ci</c> in the repository root when <see cref="NeedsInstall"/>, telling <paramref name="progress"/>;
    /// returns the root's <c>node_modules</c>, or null outside a repository.
    /// </summary>
    /// <exception cref="PreviewException">npm is missing or failed.</exception>
    public static string? Ensure(Action<string> progress)
    {
        if (Root() is not { } root)
            return null;
        if (NeedsInstall(root))
        {
            progress($"Installing the npm packages {Path.Combine(root, "package-lock.json")} pins (npm ci)");
            var start = new ProcessStartInfo("npm") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "ci", "--no-audit", "--no-fund" })
                start.ArgumentList.Add(arg);
            try
            {
                using var process = Process.Start(start) ?? throw new PreviewException("npm did not start");
                var stderr = process.StandardError.ReadToEndAsync();
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new PreviewException($"npm ci failed in {root}: {stderr.Result.Trim()}");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new PreviewException($"cannot run npm (Node.js 20 with npm is needed, see README's prerequisites): {e.Message}");
            }
        }
        return Path.Combine(root, "node_modules");
    }
}
