using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// Where unloaded files live: <c>azure://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;prefix&gt;</c>,
/// the form Snowflake's <c>COPY INTO</c> takes. <see cref="ServiceEndpoint"/> is where this process sends its
/// Blob REST requests: the account's own endpoint, or an override (an Azure Storage emulator such as Azurite,
/// addressed path-style as <c>http://host:port/&lt;account&gt;</c>).
/// </summary>
public sealed record BlobStageLocation(string Account, string Container, string Prefix, Uri ServiceEndpoint)
{
    public const string Scheme = "azure://";
    private const string HostSuffix = ".blob.core.windows.net";

    /// <summary>The location as Snowflake's <c>COPY INTO</c> names it.</summary>
    public string SnowflakeUrl => $"{Scheme}{Account}{HostSuffix}/{Container}/{Prefix}";

    /// <summary>The same location one folder further down, e.g. a run's or a chunk's own prefix.</summary>
    public BlobStageLocation Below(string folder) => this with { Prefix = Join(Prefix, folder) };

    /// <summary>Parses a stage URL; <paramref name="endpoint"/> overrides where requests go.</summary>
    public static BlobStageLocation Parse(string url, string? endpoint = null, string setting = "stage.url")
    {
        if (!url.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(setting, url, $"it must start with {Scheme}");
        }

        var rest = url[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? rest : rest[..slash];
        if (!host.EndsWith(HostSuffix, StringComparison.OrdinalIgnoreCase) || host.Length == HostSuffix.Length)
        {
            throw Invalid(setting, url, $"its host must be <account>{HostSuffix}");
        }

        var account = host[..^HostSuffix.Length].ToLowerInvariant();
        var path = slash < 0 ? "" : rest[(slash + 1)..];
        var containerEnd = path.IndexOf('/', StringComparison.Ordinal);
        var container = containerEnd < 0 ? path : path[..containerEnd];
        var prefix = containerEnd < 0 ? "" : path[(containerEnd + 1)..].Trim('/');
        if (!IsContainerName(container))
        {
            throw Invalid(setting, url, "it must name a container (3-63 lower-case letters, digits and hyphens) after the host");
        }

        var service = endpoint is null ? new Uri($"https://{account}{HostSuffix}") : ParseEndpoint(endpoint, setting);
        return new BlobStageLocation(account, container, prefix, service);
    }

    /// <summary>Joins blob path segments with single slashes.</summary>
    public static string Join(string left, string right) =>
        left.Length == 0 ? right.Trim('/') : right.Length == 0 ? left.Trim('/') : $"{left.Trim('/')}/{right.Trim('/')}";

    private static Uri ParseEndpoint(string endpoint, string setting)
    {
        if (!Uri.TryCreate(endpoint.TrimEnd('/'), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new SfPgException(ErrorCatalog.StageSettingInvalid,
                $"Config setting '{setting.Replace(".url", ".endpoint", StringComparison.Ordinal)}' is '{endpoint}'; it must be an http or https URL, e.g. http://127.0.0.1:10000/devstoreaccount1.",
                target: setting, recommendedAction: null);
        }

        return uri;
    }

    private static bool IsContainerName(string name) =>
        name.Length is >= 3 and <= 63 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    private static SfPgException Invalid(string setting, string url, string why) =>
        new(ErrorCatalog.StageUrlInvalid, $"Config setting '{setting}' is '{url}': {why}.", target: setting, recommendedAction: null);
}
