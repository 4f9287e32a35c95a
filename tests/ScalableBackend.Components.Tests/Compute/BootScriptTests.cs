using System.Diagnostics;
using ScalableBackend.Components.Compute;

namespace ScalableBackend.Components.Tests.Compute;

/// <summary>
/// The boot script as bash runs it: linted by shellcheck, and executed with stub <c>curl</c>, <c>docker</c>, <c>aws</c>
/// and <c>cfn-signal</c> first on PATH, which record what they were asked and answer as the instance would see it.
/// </summary>
public sealed class BootScriptTests : IDisposable
{
    private const string SecretValue = "s3cr3t-Value-never-printed";
    private const string ParameterValue = "p4ram-Value-never-printed";
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-boot-").FullName;

    private static BootScriptSpec Spec(BootMode mode) => new()
    {
        Mode = mode,
        Region = "eu-central-1",
        StackName = "Backend-Prod-Service-Api",
        ResourceLogicalId = "ServiceApiGroupASG1234",
        Image = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/orders-api:1.4.2",
        EcrRegistry = "123456789012.dkr.ecr.eu-central-1.amazonaws.com",
        Command = ["./server", "--greeting", "it's fine"],
        Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["QUEUE_BILLING_URL"] = "https://sqs.eu-central-1.amazonaws.com/123456789012/billing" },
        Secrets = new Dictionary<string, ContainerSecret>
        {
            ["STRIPE_KEY"] = new() { SecretsManager = "prod/stripe" },
            ["PAGER_KEY"] = new() { SsmParameter = "/backend/prod/pager" },
        },
        LogGroupName = "/backend/prod/api",
        TargetGroupArn = mode == BootMode.Service ? "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/api/abc" : null,
        HealthTimeoutSeconds = 3,
        StartupCheckSeconds = 2,
        PollSeconds = 1,
    };

    [Theory]
    [InlineData(BootMode.Service, false)]
    [InlineData(BootMode.Worker, false)]
    [InlineData(BootMode.Service, true)]
    public void The_rendered_script_passes_shellcheck(BootMode mode, bool custom)
    {
        var spec = custom ? Spec(mode) with { Image = null, EcrRegistry = null, CustomScript = "systemctl start my-app" } : Spec(mode);
        // As the template would have it, with the deploy-time values still placeholders.
        var script = BootScript.Render(spec with { Region = "PLACEHOLDER_REGION", StackName = "PLACEHOLDER_STACK", TargetGroupArn = spec.TargetGroupArn is null ? null : "PLACEHOLDER_TG" });
        var file = Path.Combine(_dir, "boot.sh");
        File.WriteAllText(file, script);

        var (code, output) = Run(ShellcheckPath(), ["--shell=bash", "--severity=style", file], _dir, new Dictionary<string, string>());

        Assert.True(code == 0, $"shellcheck found problems:\n{output}");
    }

    [Fact]
    public void A_service_starts_the_pinned_image_with_its_environment_and_signals_success_once_healthy()
    {
        var run = Execute(Spec(BootMode.Service), health: ["initial", "unhealthy", "healthy"]);

        Assert.True(run.ExitCode == 0, run.Output + string.Join("\n", run.Docker));
        Assert.Equal(["--exit-code 0 --stack Backend-Prod-Service-Api --resource ServiceApiGroupASG1234 --region eu-central-1"], run.Signals);
        var start = Assert.Single(run.Docker, c => c.StartsWith("run ", StringComparison.Ordinal));
        Assert.Contains("--restart on-failure", start, StringComparison.Ordinal);
        Assert.Contains("--network host", start, StringComparison.Ordinal);
        Assert.Contains("--log-driver awslogs --log-opt awslogs-region=eu-central-1 --log-opt awslogs-group=/backend/prod/api --log-opt awslogs-stream=i-0abc", start, StringComparison.Ordinal);
        Assert.EndsWith("123456789012.dkr.ecr.eu-central-1.amazonaws.com/orders-api:1.4.2 ./server --greeting it's fine", start, StringComparison.Ordinal);
        Assert.Contains(run.Docker, c => c == "login --username AWS --password-stdin 123456789012.dkr.ecr.eu-central-1.amazonaws.com");
        Assert.Contains(run.Docker, c => c == "pull --quiet 123456789012.dkr.ecr.eu-central-1.amazonaws.com/orders-api:1.4.2");
        Assert.Equal(
            ["LOG_LEVEL=info", "QUEUE_BILLING_URL=https://sqs.eu-central-1.amazonaws.com/123456789012/billing", $"PAGER_KEY={ParameterValue}", $"STRIPE_KEY={SecretValue}"],
            run.EnvFile);
        Assert.Contains(run.Aws, c => c.StartsWith("secretsmanager get-secret-value --region eu-central-1 --secret-id prod/stripe", StringComparison.Ordinal));
        Assert.Contains(run.Aws, c => c.StartsWith("ssm get-parameter --region eu-central-1 --with-decryption --name /backend/prod/pager", StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_values_are_never_printed_nor_passed_on_a_command_line()
    {
        var run = Execute(Spec(BootMode.Service), health: ["healthy"]);

        foreach (var value in new[] { SecretValue, ParameterValue })
        {
            Assert.DoesNotContain(value, run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(run.Docker, c => c.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(run.Signals, c => c.Contains(value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_service_that_never_becomes_healthy_signals_failure_when_the_wait_runs_out()
    {
        var run = Execute(Spec(BootMode.Service), health: ["unhealthy"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["--exit-code 1 --stack Backend-Prod-Service-Api --resource ServiceApiGroupASG1234 --region eu-central-1"], run.Signals);
        Assert.Contains("not healthy in the target group within 3 s (last state: unhealthy)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_container_that_exits_signals_failure_at_once()
    {
        var run = Execute(Spec(BootMode.Service), health: ["initial"], running: "false");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Signals, s => s.StartsWith("--exit-code 1 ", StringComparison.Ordinal));
        Assert.Contains("the container exited (code 3)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Aws, c => c.StartsWith("elbv2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_worker_signals_success_after_its_container_kept_running_through_the_startup_check()
    {
        var run = Execute(Spec(BootMode.Worker), health: []);

        Assert.True(run.ExitCode == 0, run.Output + string.Join("\n", run.Docker));
        Assert.Single(run.Signals, s => s.StartsWith("--exit-code 0 ", StringComparison.Ordinal));
        Assert.Contains("running for 2 s", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Aws, c => c.StartsWith("elbv2", StringComparison.Ordinal));
    }

    [Fact]
    public void An_image_that_cannot_be_pulled_signals_failure_without_starting_anything()
    {
        var run = Execute(Spec(BootMode.Worker), health: [], pull: 1);

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain(run.Docker, c => c.StartsWith("run ", StringComparison.Ordinal));
        Assert.Single(run.Signals, s => s.StartsWith("--exit-code 1 ", StringComparison.Ordinal));
    }

    private sealed record Execution(int ExitCode, string Output, IReadOnlyList<string> Docker, IReadOnlyList<string> Aws, IReadOnlyList<string> Signals, IReadOnlyList<string> EnvFile);

    private Execution Execute(BootScriptSpec spec, string[] health, string running = "true", int pull = 0)
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var calls = Directory.CreateDirectory(Path.Combine(_dir, "calls")).FullName;
        File.WriteAllLines(Path.Combine(_dir, "health"), health);
        Stub(bin, "curl", """
            case "$*" in
              *api/token*) echo token-123 ;;
              *instance-id*) echo i-0abc ;;
              *) exit 22 ;;
            esac
            """);
        Stub(bin, "docker", $$"""
            echo "$*" >> "{{calls}}/docker"
            case "$1" in
              inspect) case "$*" in *ExitCode*) echo 3 ;; *) echo {{running}} ;; esac ;;
              login) cat > /dev/null ;;
              pull) exit {{pull}} ;;
            esac
            exit 0
            """);
        Stub(bin, "aws", $$"""
            echo "$*" >> "{{calls}}/aws"
            case "$1 $2" in
              "secretsmanager get-secret-value") echo '{{SecretValue}}' ;;
              "ssm get-parameter") echo '{{ParameterValue}}' ;;
              "ecr get-login-password") echo ecr-password ;;
              "elbv2 describe-target-health")
                state=$(head -n 1 "{{_dir}}/health")
                if [ "$(wc -l < "{{_dir}}/health")" -gt 1 ]; then sed -i 1d "{{_dir}}/health"; fi
                echo "$state" ;;
            esac
            """);
        Stub(bin, "cfn-signal", $"""echo "$*" >> "{calls}/signal" """);
        Stub(bin, "sleep", "exec /bin/sleep \"$@\"");
        var script = Path.Combine(_dir, "boot.sh");
        File.WriteAllText(script, BootScript.Render(spec));
        var runDir = Path.Combine(_dir, "run");
        var (code, output) = Run("/bin/bash", [script], _dir, new Dictionary<string, string>
        {
            ["PATH"] = $"{bin}:/usr/bin:/bin",
            ["SB_RUN_DIR"] = runDir,
        });
        string[] Lines(string file) => File.Exists(file) ? File.ReadAllLines(file) : [];
        return new Execution(code, output, Lines(Path.Combine(calls, "docker")), Lines(Path.Combine(calls, "aws")),
            Lines(Path.Combine(calls, "signal")), Lines(Path.Combine(runDir, "app.env")));
    }

    private static void Stub(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string ShellcheckPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, "shellcheck");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("shellcheck is not installed: `apt-get install -y shellcheck` (.ci/run and README's test command install it)");
    }

    private static (int Code, string Output) Run(string file, string[] args, string dir, IReadOnlyDictionary<string, string> env)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000)) { process.Kill(true); throw new TimeoutException($"{file} did not finish in 60 s"); }
        return (process.ExitCode, stdout + stderr.Result);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
