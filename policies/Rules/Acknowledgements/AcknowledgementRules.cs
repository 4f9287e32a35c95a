namespace ScalableBackend.Policies.Rules.Acknowledgements;

/// <summary>Rules about the acknowledgements themselves; the engine applies them while reading resource metadata.</summary>
internal static class AcknowledgementRules
{
    public static readonly RuleDescriptor MissingReason = new(
        "SB-ACK-001",
        Severity.Error,
        "Acknowledgements state a reason",
        "An acknowledgement without a reason hides a finding without telling the next reader why that is acceptable.",
        "Add a non-empty \"Reason\" to the entry in Metadata.ScalableBackend.Acknowledgements, written by the component next to the resource.");

    public static readonly RuleDescriptor UnknownRule = new(
        "SB-ACK-002",
        Severity.Warning,
        "Acknowledgements name a known rule",
        "An acknowledgement of a rule id that does not exist (a typo, or a retired rule) acknowledges nothing.",
        "Use an id from the rule catalog (PolicyRules.All), or remove the entry.");

    public static readonly RuleDescriptor Malformed = new(
        "SB-ACK-003",
        Severity.Error,
        "Acknowledgements are well-formed",
        "A malformed acknowledgement is silently ignored, so the finding it was meant for fails the check with no hint why.",
        "Write Metadata.ScalableBackend.Acknowledgements as a list of objects { \"Rule\": \"SB-…\", \"Reason\": \"…\" }.");

    public static IReadOnlyList<RuleDescriptor> All { get; } = [MissingReason, UnknownRule, Malformed];
}
