namespace ScalableBackend.Components;

/// <summary>
/// A property of a component's props is out of its allowed range. <see cref="Path"/> names the property
/// (dotted, e.g. <c>Scaling.Schedules.nightly.Max</c>) so a caller that bound the props from a data file can
/// point at the key in that file.
/// </summary>
public sealed class PropsValidationException : ArgumentException
{
    /// <summary>The dotted property path, e.g. <c>HealthCheck.TimeoutSeconds</c>.</summary>
    public string Path { get; }

    /// <summary>The rejected value, or null when the problem is a missing or empty value.</summary>
    public object? Value { get; }

    /// <summary>What is allowed, e.g. <c>must be between 1 and 65535</c>.</summary>
    public string Rule { get; }

    /// <summary>Creates the exception; the message reads <c>Path = Value Rule</c>.</summary>
    public PropsValidationException(string path, object? value, string rule)
        : base(value is null ? $"{path} {rule}" : $"{path} = {Format(value)} {rule}", path.Split('.')[0])
    {
        Path = path;
        Value = value;
        Rule = rule;
    }

    /// <summary>The message without the parameter-name suffix <see cref="ArgumentException"/> appends.</summary>
    public string Detail => Value is null ? $"{Path} {Rule}" : $"{Path} = {Format(Value)} {Rule}";

    /// <summary>Formats a value for a message: lists comma-separated, others as text.</summary>
    public static string Format(object value) => value switch
    {
        string s => s,
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object>()) + "]",
        double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
