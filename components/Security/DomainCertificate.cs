using System.Text.RegularExpressions;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.Route53;
using Constructs;

namespace ScalableBackend.Components.Security;

/// <summary>
/// The TLS certificate of a domain, as the environment file says: an existing ACM certificate imported by ARN,
/// or a new ACM certificate validated through DNS in a Route 53 hosted zone given by id and name (no lookups).
/// </summary>
public sealed partial class DomainCertificate : Construct
{
    /// <summary>The certificate (imported or issued).</summary>
    public ICertificate Certificate { get; }

    /// <summary>The hosted zone, when one is given.</summary>
    public IHostedZone? HostedZone { get; }

    /// <summary>Creates or imports the certificate; validates <paramref name="props"/> first.</summary>
    /// <exception cref="PropsValidationException">A property is out of its allowed range.</exception>
    public DomainCertificate(Construct scope, string id, DomainCertificateProps props) : base(scope, id)
    {
        Validate(props);
        if (props.HostedZone is { } zone)
            HostedZone = Amazon.CDK.AWS.Route53.HostedZone.FromHostedZoneAttributes(this, "Zone", new HostedZoneAttributes
            {
                HostedZoneId = zone.Id,
                ZoneName = zone.Name,
            });
        Certificate = props.CertificateArn is { } arn
            ? Amazon.CDK.AWS.CertificateManager.Certificate.FromCertificateArn(this, "Imported", arn)
            : new Certificate(this, "Certificate", new CertificateProps
            {
                DomainName = props.Name,
                Validation = CertificateValidation.FromDns(HostedZone),
            });
    }

    /// <summary>Checks the settings of a certificate; throws naming the property, the value and what is allowed.</summary>
    /// <exception cref="PropsValidationException">A setting is out of its allowed range.</exception>
    public static void Validate(DomainCertificateSettings s)
    {
        if (!DomainPattern().IsMatch(s.Name))
            throw new PropsValidationException(nameof(s.Name), s.Name, "must be a DNS name such as api.example.com");
        if (s.CertificateArn is null && s.HostedZone is null)
            throw new PropsValidationException(nameof(s.CertificateArn), null, "is required unless hostedZone is given to validate a new certificate");
        if (s.CertificateArn is { } arn && !CertificatePattern().IsMatch(arn))
            throw new PropsValidationException(nameof(s.CertificateArn), arn, "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
        if (s.HostedZone is { } zone)
        {
            if (!ZoneIdPattern().IsMatch(zone.Id))
                throw new PropsValidationException($"{nameof(s.HostedZone)}.{nameof(zone.Id)}", zone.Id, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
            var zoneName = zone.Name.TrimEnd('.');
            if (s.Name != zoneName && !s.Name.EndsWith("." + zoneName, StringComparison.Ordinal))
                throw new PropsValidationException($"{nameof(s.HostedZone)}.{nameof(zone.Name)}", zone.Name, $"must be the zone of name ({s.Name}): {s.Name} must equal or end with .{zoneName}");
        }
        if (s.Names is { } names)
        {
            if (s.CertificateArn is null)
                throw new PropsValidationException(nameof(s.Names), names, "describe an imported certificate (certificateArn); a new certificate covers exactly name");
            if (names.Count == 0)
                throw new PropsValidationException(nameof(s.Names), null, "must list at least one name (or be left out)");
            for (var i = 0; i < names.Count; i++)
                if (!DomainPattern().IsMatch(names[i]))
                    throw new PropsValidationException($"{nameof(s.Names)}[{i}]", names[i], "must be a DNS name such as api.example.com or *.example.com");
            if (!Covers(names, s.Name))
                throw new PropsValidationException(nameof(s.Name), s.Name, $"is not covered by the certificate's names ({string.Join(", ", names)})");
        }
    }

    /// <summary>
    /// Whether a certificate for <paramref name="names"/> is valid for <paramref name="host"/>: an exact name, or a
    /// wildcard <c>*.parent</c> for exactly one more label (as TLS clients match it).
    /// </summary>
    public static bool Covers(IEnumerable<string> names, string host) =>
        names.Any(n => string.Equals(n, host, StringComparison.OrdinalIgnoreCase)
            || n.StartsWith("*.", StringComparison.Ordinal) && host.IndexOf('.') is var dot and > 0
               && string.Equals(host[(dot + 1)..], n[2..], StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]+$")]
    private static partial Regex CertificatePattern();

    [GeneratedRegex(@"^Z[A-Z0-9]{1,31}$")]
    private static partial Regex ZoneIdPattern();
}
