namespace ScalableBackend.Components.Security;

/// <summary>
/// A DNS record a component relies on but cannot create (its zone is not given): the deployer creates it where the
/// domain's DNS is hosted. Components only report it; a stack turns it into an output.
/// </summary>
/// <param name="Name">The record name, e.g. <c>api.example.com</c>.</param>
/// <param name="Type">The record type: <c>CNAME</c> (or an alias A record where the zone is in Route 53).</param>
/// <param name="Target">The value the name must point to, e.g. a load balancer's or a distribution's DNS name (usually a token).</param>
/// <param name="Purpose">Why the record is needed, in words.</param>
public sealed record RequiredDnsRecord(string Name, string Type, string Target, string Purpose);
