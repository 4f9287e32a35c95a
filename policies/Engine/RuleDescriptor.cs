namespace ScalableBackend.Policies;

/// <summary>What a rule checks, why, and how to fix a finding. One per rule in <see cref="PolicyRules.All"/>.</summary>
/// <param name="Id">Stable identifier, e.g. <c>SB-RDS-001</c>; used in acknowledgements, never reused.</param>
/// <param name="Severity">Severity of every finding of this rule.</param>
/// <param name="Title">One line: the practice the rule enforces.</param>
/// <param name="Why">Why the practice matters.</param>
/// <param name="Fix">How to satisfy the rule.</param>
/// <param name="ProductionOnly">True when the rule only runs for production templates.</param>
/// <param name="Source">The AWS documentation the rule's <paramref name="Why"/> and severity follow (a URL); SARIF's
/// <c>helpUri</c>.</param>
public sealed record RuleDescriptor(
    string Id,
    Severity Severity,
    string Title,
    string Why,
    string Fix,
    bool ProductionOnly = false,
    string? Source = null);
