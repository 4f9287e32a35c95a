namespace ScalableBackend.Policies;

/// <summary>One rule violated by one resource of one template.</summary>
/// <param name="File">The template file, as given to <see cref="TemplateDocument.Load"/>.</param>
/// <param name="RuleId">The rule's <see cref="RuleDescriptor.Id"/>.</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="LogicalId">The logical ID of the resource the finding is about (where the fix or acknowledgement goes).</param>
/// <param name="ResourceType">That resource's type.</param>
/// <param name="Message">What is wrong with this resource, specifically.</param>
/// <param name="Acknowledged">True when the resource's metadata acknowledges the rule with a reason.</param>
/// <param name="Reason">The acknowledgement's reason; null when not acknowledged.</param>
/// <param name="Stack">The stack the template belongs to when it was checked as part of a <see cref="TemplateSet"/>;
/// null for a single-template check.</param>
public sealed record Finding(
    string File,
    string RuleId,
    Severity Severity,
    string LogicalId,
    string ResourceType,
    string Message,
    bool Acknowledged = false,
    string? Reason = null,
    string? Stack = null);
