using System.Text;

namespace ScalableBackend.Components.Compute;

/// <summary>What an instance runs at boot, and how it decides that it is ready.</summary>
public enum BootMode
{
    /// <summary>A service behind a load balancer: ready when its target group reports the instance healthy.</summary>
    Service,
    /// <summary>A worker: ready when its container (or boot script) has kept running through the startup check.</summary>
    Worker,
}

/// <summary>
/// The values <see cref="BootScript.Render"/> writes into the boot script. Each may be a CDK token (resolved at
/// deploy time, e.g. the stack's region or a target group ARN); none is ever a secret value — secrets are named here
/// and read by the instance at boot.
/// </summary>
public sealed record BootScriptSpec
{
    /// <summary>Service or worker. Required.</summary>
    public required BootMode Mode { get; init; }

    /// <summary>The region (for the AWS CLI, the awslogs driver and cfn-signal). Required.</summary>
    public required string Region { get; init; }

    /// <summary>The CloudFormation stack the Auto Scaling group belongs to. Required.</summary>
    public required string StackName { get; init; }

    /// <summary>The logical id of the Auto Scaling group that waits for the signal. Required.</summary>
    public required string ResourceLogicalId { get; init; }

    /// <summary>The full image reference to pull and run; null when <see cref="CustomScript"/> is given instead.</summary>
    public string? Image { get; init; }

    /// <summary>The ECR registry host to sign in to before pulling; null for an image that needs no sign-in.</summary>
    public string? EcrRegistry { get; init; }

    /// <summary>The container's command and arguments; empty for the image's own.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Plain environment variables of the container.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment variables read at boot from Secrets Manager or SSM (by name or ARN; never the value).</summary>
    public IReadOnlyDictionary<string, ContainerSecret> Secrets { get; init; } = new Dictionary<string, ContainerSecret>();

    /// <summary>The log group the container's output goes to; null to keep Docker's default log driver on the instance (no awslogs options are passed).</summary>
    public string? LogGroupName { get; init; }

    /// <summary>For a service: the target group whose health check gates the signal.</summary>
    public string? TargetGroupArn { get; init; }

    /// <summary>Seconds to wait for health (a service) before signalling failure. Default: 300.</summary>
    public int HealthTimeoutSeconds { get; init; } = 300;

    /// <summary>Seconds a worker's container must keep running before the signal. Default: 30.</summary>
    public int StartupCheckSeconds { get; init; } = 30;

    /// <summary>Seconds between health polls. Default: 10.</summary>
    public int PollSeconds { get; init; } = 10;

    /// <summary>A team's own boot script (for a baked machine image), run instead of a container; its exit code counts.</summary>
    public string? CustomScript { get; init; }
}

/// <summary>
/// Renders the bash script an instance runs at boot: read the instance id through IMDSv2, install Docker and
/// cfn-signal if the image lacks them, read the declared secrets into a root-only file on tmpfs, sign in to ECR,
/// pull the image (with retries) and run it with <c>--restart on-failure</c>, host networking and the awslogs log
/// driver; then wait until the instance is ready — a service: its target group reports it healthy; a worker: its
/// container kept running through the startup check — and signal CloudFormation success, or failure as soon as the
/// container exits or the wait runs out. Secret values are never printed, echoed or passed on a command line.
/// </summary>
public static class BootScript
{
    /// <summary>Where the script is written on the instance.</summary>
    public const string InstallPath = "/opt/scalable-backend/boot.sh";

    /// <summary>The container's name on the instance.</summary>
    public const string ContainerName = "app";

    /// <summary>Renders the script for <paramref name="spec"/>.</summary>
    public static string Render(BootScriptSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if ((spec.Image is null) == (spec.CustomScript is null))
            throw new ArgumentException("give exactly one of Image or CustomScript", nameof(spec));
        if (spec.Mode == BootMode.Service && spec.TargetGroupArn is null)
            throw new ArgumentException("a service's boot script needs the target group ARN", nameof(spec));
        var s = new StringBuilder();
        s.Append("""
            #!/bin/bash
            # ScalableBackend boot: run what this instance serves, then tell CloudFormation whether it is ready.
            # Rendered by ScalableBackend.Components.Compute.BootScript; secret values are read here, never printed.
            set -uo pipefail
            umask 077
            export PATH="$PATH:/opt/aws/bin:/usr/local/bin"
            SB_RUN_DIR="${SB_RUN_DIR:-/run/scalable-backend}"

            """);
        Assign(s, "REGION", spec.Region);
        Assign(s, "STACK", spec.StackName);
        Assign(s, "RESOURCE", spec.ResourceLogicalId);
        Assign(s, "MODE", spec.Mode == BootMode.Service ? "service" : "worker");
        Assign(s, "IMAGE", spec.Image ?? "");
        if (spec.Image is not null)
        {
            Assign(s, "REGISTRY", spec.EcrRegistry ?? "");
            Assign(s, "LOG_GROUP", spec.LogGroupName ?? "");
        }
        Assign(s, "TARGET_GROUP_ARN", spec.TargetGroupArn ?? "");
        s.Append($"HEALTH_TIMEOUT={spec.HealthTimeoutSeconds}\nSTARTUP_CHECK={spec.StartupCheckSeconds}\nPOLL={spec.PollSeconds}\nCONTAINER={ContainerName}\n");
        s.Append("""

            log() { echo "sb-boot: $*" >&2; }
            signal() {
              cfn-signal --exit-code "$1" --stack "$STACK" --resource "$RESOURCE" --region "$REGION" || log "cfn-signal failed"
            }
            fail() { log "$1"; signal 1; exit 1; }
            retry() { # retry N COMMAND...: up to N attempts, 5 s apart
              local attempts=$1 i
              shift
              for ((i = 1; i <= attempts; i++)); do
                "$@" && return 0
                sleep 5
              done
              return 1
            }

            token=$(curl -sf -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300') \
              || fail "cannot get an IMDSv2 token"
            INSTANCE_ID=$(curl -sf -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/instance-id) \
              || fail "cannot read the instance id"
            command -v cfn-signal >/dev/null 2>&1 || dnf install -y aws-cfn-bootstrap >/dev/null 2>&1 || log "cannot install aws-cfn-bootstrap"
            mkdir -p "$SB_RUN_DIR" || fail "cannot create $SB_RUN_DIR"

            """);
        if (spec.CustomScript is { } custom)
        {
            s.Append("cat > \"$SB_RUN_DIR/custom-boot.sh\" <<'SB_CUSTOM_BOOT'\n").Append(custom.TrimEnd('\n')).Append("\nSB_CUSTOM_BOOT\n");
            s.Append("""
                bash "$SB_RUN_DIR/custom-boot.sh" || fail "the boot script failed with exit code $?"

                """);
        }
        else
        {
            s.Append("""
                if ! command -v docker >/dev/null 2>&1; then
                  dnf install -y docker >/dev/null 2>&1 || fail "cannot install docker"
                fi
                docker info >/dev/null 2>&1 || systemctl enable --now docker >/dev/null 2>&1 || fail "cannot start docker"

                """);
            s.Append(": > \"$SB_RUN_DIR/app.env\" || fail \"cannot write the environment file\"\n");
            if (spec.Environment.Count > 0)
            {
                s.Append("cat >> \"$SB_RUN_DIR/app.env\" <<'SB_ENVIRONMENT'\n");
                foreach (var (name, value) in spec.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    s.Append(name).Append('=').Append(value.Replace("\n", " ")).Append('\n');
                s.Append("SB_ENVIRONMENT\n");
            }
            foreach (var (name, secret) in spec.Secrets.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var read = secret.SecretsManager is { } id
                    ? $"aws secretsmanager get-secret-value --region \"$REGION\" --secret-id {Quote(id)} --query SecretString --output text"
                    : $"aws ssm get-parameter --region \"$REGION\" --with-decryption --name {Quote(secret.SsmParameter!)} --query Parameter.Value --output text";
                s.Append($"value=$(retry 3 {read}) || fail \"cannot read the secret for {name}\"\n");
                s.Append($"printf '%s=%s\\n' {name} \"$value\" >> \"$SB_RUN_DIR/app.env\"\nunset value\n");
            }
            s.Append("""
                if [ -n "$REGISTRY" ]; then
                  login() { aws ecr get-login-password --region "$REGION" | docker login --username AWS --password-stdin "$REGISTRY" >/dev/null; }
                  retry 5 login || fail "cannot sign in to $REGISTRY"
                fi
                retry 5 docker pull --quiet "$IMAGE" >/dev/null || fail "cannot pull $IMAGE"
                docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
                logging=()
                if [ -n "$LOG_GROUP" ]; then
                  logging=(--log-driver awslogs --log-opt "awslogs-region=$REGION" --log-opt "awslogs-group=$LOG_GROUP" --log-opt "awslogs-stream=$INSTANCE_ID")
                fi

                """);
            s.Append("docker run --detach --name \"$CONTAINER\" --restart on-failure --network host --env-file \"$SB_RUN_DIR/app.env\" \"${logging[@]}\" \"$IMAGE\"");
            foreach (var arg in spec.Command)
                s.Append(' ').Append(Quote(arg));
            s.Append(" >/dev/null || fail \"cannot start $IMAGE\"\n");
        }
        s.Append("""

            running() {
              [ -z "$IMAGE" ] && return 0
              [ "$(docker inspect --format '{{.State.Running}}' "$CONTAINER" 2>/dev/null)" = true ]
            }
            started=$SECONDS
            while :; do
              running || fail "the container exited (code $(docker inspect --format '{{.State.ExitCode}}' "$CONTAINER" 2>/dev/null || echo unknown))"
              if [ "$MODE" = service ]; then
                state=$(aws elbv2 describe-target-health --region "$REGION" --target-group-arn "$TARGET_GROUP_ARN" \
                  --targets "Id=$INSTANCE_ID" --query 'TargetHealthDescriptions[0].TargetHealth.State' --output text 2>/dev/null)
                if [ "$state" = healthy ]; then
                  log "healthy in the target group after $((SECONDS - started)) s"
                  signal 0
                  exit 0
                fi
                ((SECONDS - started >= HEALTH_TIMEOUT)) && fail "not healthy in the target group within $HEALTH_TIMEOUT s (last state: ${state:-unknown})"
              elif ((SECONDS - started >= STARTUP_CHECK)); then
                log "running for $STARTUP_CHECK s"
                signal 0
                exit 0
              fi
              sleep "$POLL"
            done

            """);
        return s.ToString();
    }

    /// <summary>A bash single-quoted word for <paramref name="value"/>.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

    private static void Assign(StringBuilder s, string name, string value) => s.Append(name).Append('=').Append(Quote(value)).Append('\n');
}
