using System.Globalization;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Where an account's SQL API lives, and how the account is named inside a key-pair JWT.</summary>
public static class SnowflakeAccount
{
    private const string SnowflakeDomain = ".snowflakecomputing.com";

    /// <summary>
    /// The account part of the JWT issuer and subject, upper case: a locator keeps what precedes its
    /// first dot (<c>xy12345.us-east-1</c> gives <c>XY12345</c>); a replication (<c>.global</c>)
    /// identifier keeps what precedes its first hyphen; <c>myorg-myaccount</c> stays whole.
    /// </summary>
    public static string JwtAccountName(string account)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        var name = StripUrl(account.Trim());
        name = name.Contains(".global", StringComparison.OrdinalIgnoreCase)
            ? name.Split('-')[0]
            : name.Split('.')[0];
        return name.ToUpperInvariant();
    }

    /// <summary>
    /// The SQL API base address: <c>https://&lt;account&gt;.snowflakecomputing.com</c>, or the
    /// settings' <c>host</c>, <c>port</c> and <c>scheme</c> when given (the local emulator).
    /// </summary>
    public static Uri BaseAddress(SnowflakeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var scheme = string.IsNullOrWhiteSpace(settings.Scheme) ? "https" : settings.Scheme.Trim().ToLowerInvariant();
        if (scheme is not ("https" or "http"))
        {
            throw new SnowflakeException(
                ErrorCatalog.SnowflakeSettingsInvalid,
                $"snowflake.scheme is '{settings.Scheme}'; it must be 'https' or 'http'.");
        }

        if (string.IsNullOrWhiteSpace(settings.Host) && string.IsNullOrWhiteSpace(settings.Account))
        {
            throw new SnowflakeException(ErrorCatalog.SnowflakeSettingsInvalid, "snowflake.account is empty; set the account identifier (e.g. myorg-myaccount).");
        }

        var host = string.IsNullOrWhiteSpace(settings.Host)
            ? StripUrl(settings.Account.Trim()).ToLowerInvariant() + SnowflakeDomain
            : settings.Host.Trim();
        if (scheme == "http" && !settings.AllowInsecureHttp && !LoopbackHost.Is(host))
        {
            throw new SnowflakeException(
                ErrorCatalog.ConfigCleartextTransport,
                $"snowflake.scheme is 'http' for {host}, which is not this machine: the credentials would travel in clear text.");
        }

        if (settings.Port is { } port && (port < 1 || port > 65535))
        {
            throw new SnowflakeException(
                ErrorCatalog.SnowflakeSettingsInvalid,
                string.Create(CultureInfo.InvariantCulture, $"snowflake.port is {port}; it must be between 1 and 65535."));
        }

        try
        {
            return new UriBuilder(scheme, host, settings.Port ?? -1).Uri;
        }
        catch (UriFormatException ex)
        {
            throw new SnowflakeException(
                ErrorCatalog.SnowflakeSettingsInvalid,
                $"snowflake.host '{host}' is not a valid host name.",
                innerException: ex);
        }
    }

    private static string StripUrl(string account)
    {
        var name = account;
        var scheme = name.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            name = name[(scheme + 3)..];
        }

        name = name.TrimEnd('/');
        if (name.EndsWith(SnowflakeDomain, StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^SnowflakeDomain.Length];
        }

        return name;
    }
}
