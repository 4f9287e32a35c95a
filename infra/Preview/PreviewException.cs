namespace ScalableBackend.Infra.Preview;

/// <summary>A preview step could not run (a missing tool or template); the message says what to do.</summary>
public sealed class PreviewException(string message) : Exception(message);
