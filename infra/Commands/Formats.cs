using System.ComponentModel;
using System.Globalization;

namespace ScalableBackend.Infra.Commands;

/// <summary>What <c>check</c> prints.</summary>
public enum CheckFormat
{
    /// <summary>A summary per environment and stack, then the findings, for people.</summary>
    Table,
    /// <summary><c>{"findings":[…]}</c> and nothing else on standard output.</summary>
    Json,
    /// <summary>SARIF 2.1.0 for code scanning.</summary>
    Sarif,
}

/// <summary>What <c>plan</c> and <c>diff</c> print.</summary>
public enum ReportFormat
{
    /// <summary>Tables for people.</summary>
    Table,
    /// <summary>One Markdown document for a pull-request comment.</summary>
    Markdown,
}

/// <summary>
/// Converts an option value to enum <typeparamref name="T"/>, case-insensitively, with a message that names the allowed
/// values (<c>xml must be one of table, json, sarif</c>).
/// </summary>
/// <typeparam name="T">The enum.</typeparam>
public sealed class EnumOption<T> : TypeConverter where T : struct, Enum
{
    /// <summary>The allowed values as written on the command line.</summary>
    public static string Allowed => string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));

    /// <inheritdoc/>
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

    /// <inheritdoc/>
    public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text && !int.TryParse(text, out _) && Enum.TryParse<T>(text, ignoreCase: true, out var parsed)
            ? parsed
            : throw new OptionValueException($"{value} must be one of {Allowed}");
}

/// <summary>An option's value is not allowed; the message names the value and what is allowed.</summary>
public sealed class OptionValueException(string message) : Exception(message);
