namespace ScalableBackend.Policies;

/// <summary>How bad a finding is. An unacknowledged <see cref="Error"/> fails the check (exit code 1).</summary>
public enum Severity
{
    /// <summary>Must be fixed or acknowledged with a reason; fails the check.</summary>
    Error,

    /// <summary>Worth a look; never fails the check.</summary>
    Warning,
}

/// <summary>Spelling of <see cref="Severity"/> in reports.</summary>
public static class SeverityNames
{
    /// <summary><c>error</c> or <c>warning</c>, as used in the JSON output and SARIF levels.</summary>
    public static string ToName(this Severity severity) => severity == Severity.Error ? "error" : "warning";
}
