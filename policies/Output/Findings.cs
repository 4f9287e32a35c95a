namespace ScalableBackend.Policies;

/// <summary>Helpers over a list of findings.</summary>
public static class Findings
{
    /// <summary>1 when any finding is an unacknowledged error, else 0.</summary>
    public static int ExitCode(IEnumerable<Finding> findings) =>
        findings.Any(IsBlocking) ? 1 : 0;

    /// <summary>True for an unacknowledged error: the findings that fail a check.</summary>
    public static bool IsBlocking(Finding finding) =>
        finding.Severity == Severity.Error && !finding.Acknowledged;
}
