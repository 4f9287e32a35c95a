using System.Text.Json.Nodes;

namespace ScalableBackend.Policies.Rules.Rds;

/// <summary>
/// SB-RDS-002. Follows DBParameterGroupName (instance) or DBClusterParameterGroupName (cluster) to the parameter
/// group in the template. PostgreSQL (engine <c>postgres</c>) 15 and later defaults rds.force_ssl to 1, so a
/// missing group or parameter passes there when the version is 15+ or unspecified; Aurora PostgreSQL, MySQL and
/// MariaDB need the parameter set explicitly. A group given as a literal name or a parameter cannot be read and passes.
/// </summary>
internal sealed class ForceTls : IPolicyRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "SB-RDS-002", Severity.Error,
        "RDS requires TLS connections",
        "Without a server-side requirement, a misconfigured client silently connects in plaintext and credentials and data cross the network unencrypted.",
        "Use a parameter group with rds.force_ssl = 1 (PostgreSQL) or require_secure_transport = 1 (MySQL, MariaDB) and reference it from DBParameterGroupName / DBClusterParameterGroupName.",
        Source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html");

    public IReadOnlyList<string> ResourceTypes => RdsShape.Types;

    public IEnumerable<string> Check(TemplateResource r, RuleContext context)
    {
        if (RdsShape.IsClusterMember(r) || Values.AsString(r["Engine"])?.ToLowerInvariant() is not { } engine)
        {
            yield break;
        }

        var parameter = engine.Contains("postgres", StringComparison.Ordinal) ? "rds.force_ssl"
            : engine.Contains("mysql", StringComparison.Ordinal) || engine == "mariadb" ? "require_secure_transport"
            : null;
        if (parameter is null)
        {
            yield break;
        }

        var defaultIsOn = engine == "postgres" && PostgresDefaultsToTls(r["EngineVersion"]);
        var groupProperty = r.Type == RdsShape.Cluster ? "DBClusterParameterGroupName" : "DBParameterGroupName";
        var groupValue = r[groupProperty];
        if (groupValue is null)
        {
            if (!defaultIsOn)
            {
                yield return $"no {groupProperty}: the default parameter group leaves {parameter} off";
            }

            yield break;
        }

        if (context.Graph.Resolve(groupValue) is not { } group)
        {
            yield break;
        }

        var setting = (group["Parameters"] as JsonObject)?[parameter];
        if (setting is null)
        {
            if (!defaultIsOn)
            {
                yield return $"parameter group {context.NameOf(group)} does not set {parameter} = 1";
            }
        }
        else if (!Values.IsIntrinsic(setting) && Values.AsString(setting)?.ToUpperInvariant() is not ("1" or "ON"))
        {
            yield return $"parameter group {context.NameOf(group)} sets {parameter} = {Values.AsString(setting) ?? setting.ToJsonString()}";
        }
    }

    /// <summary>RDS for PostgreSQL 15+ ships rds.force_ssl = 1; an unspecified version is the current default (≥ 15).</summary>
    private static bool PostgresDefaultsToTls(JsonNode? version)
    {
        if (version is null)
        {
            return true;
        }

        var text = Values.AsString(version);
        return text is not null && int.TryParse(text.Split('.')[0], out var major) && major >= 15;
    }
}
