using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>Supplies the bearer token of each request and knows which settings a rejection points at.</summary>
internal abstract class SnowflakeTokenSource : IDisposable
{
    public abstract SnowflakeAuthentication Authentication { get; }

    /// <summary>The <c>X-Snowflake-Authorization-Token-Type</c> header value.</summary>
    public string TokenType => Authentication switch
    {
        SnowflakeAuthentication.KeyPairJwt => "KEYPAIR_JWT",
        SnowflakeAuthentication.OAuth => "OAUTH",
        _ => "PROGRAMMATIC_ACCESS_TOKEN",
    };

    /// <summary>The token to send now (renewed when close to expiry).</summary>
    public abstract string GetToken();

    /// <summary>True when a rejected token can be replaced by a fresh one (a JWT can be re-signed).</summary>
    public virtual bool CanRenew => false;

    /// <summary>Drops the cached token so the next <see cref="GetToken"/> makes a new one.</summary>
    public virtual void Invalidate()
    {
    }

    /// <summary>Which settings to check when Snowflake rejects the token; no secret in it.</summary>
    public abstract string RejectionHint { get; }

    public virtual void Dispose()
    {
    }

    /// <summary>Picks the authentication from the settings and checks that what it needs is there.</summary>
    public static SnowflakeTokenSource Create(SnowflakeSettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var authentication = ChooseAuthentication(settings);
        if (authentication == SnowflakeAuthentication.KeyPairJwt)
        {
            if (string.IsNullOrWhiteSpace(settings.RsaKey))
            {
                throw Invalid("snowflake.authenticator is SNOWFLAKE_JWT but snowflake.rsa_key is not set; set it to the private key PEM or its file path.");
            }

            if (string.IsNullOrWhiteSpace(settings.User))
            {
                throw Invalid("snowflake.user is not set; key-pair authentication needs the Snowflake user the public key belongs to.");
            }

            if (string.IsNullOrWhiteSpace(settings.Account))
            {
                throw Invalid("snowflake.account is not set; key-pair authentication needs the account identifier (e.g. myorg-myaccount).");
            }

            var key = SnowflakePrivateKey.Load(settings.RsaKey, settings.RsaKeyPassphrase);
            return new KeyPairJwtTokenSource(key, settings.Account, settings.User, timeProvider);
        }

        if (string.IsNullOrWhiteSpace(settings.Token))
        {
            throw Invalid($"snowflake.authenticator is {settings.Authenticator} but snowflake.token is not set.");
        }

        return new StaticTokenSource(authentication, settings.Token);
    }

    private static SnowflakeAuthentication ChooseAuthentication(SnowflakeSettings settings)
    {
        var name = settings.Authenticator?.Trim().ToUpperInvariant();
        switch (name)
        {
            case "SNOWFLAKE_JWT" or "KEYPAIR_JWT" or "JWT":
                return SnowflakeAuthentication.KeyPairJwt;
            case "OAUTH":
                return SnowflakeAuthentication.OAuth;
            case "PROGRAMMATIC_ACCESS_TOKEN" or "PAT":
                return SnowflakeAuthentication.ProgrammaticAccessToken;
            case null or "":
                if (!string.IsNullOrWhiteSpace(settings.RsaKey))
                {
                    return SnowflakeAuthentication.KeyPairJwt;
                }

                // A bare token could be either kind; guessing would send the wrong token type.
                throw Invalid(string.IsNullOrWhiteSpace(settings.Token)
                    ? "No Snowflake credentials: set snowflake.rsa_key (key-pair), or snowflake.token with snowflake.authenticator OAUTH or PROGRAMMATIC_ACCESS_TOKEN."
                    : "snowflake.token is set but snowflake.authenticator is not; set it to OAUTH or PROGRAMMATIC_ACCESS_TOKEN.");
            default:
                throw Invalid($"snowflake.authenticator '{settings.Authenticator}' is not supported; use SNOWFLAKE_JWT, OAUTH or PROGRAMMATIC_ACCESS_TOKEN.");
        }
    }

    private static SnowflakeException Invalid(string message) => new(ErrorCatalog.SnowflakeSettingsInvalid, message);
}
