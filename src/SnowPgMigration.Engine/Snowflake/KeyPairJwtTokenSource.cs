using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Key-pair JWTs: RS256, <c>iss = ACCOUNT.USER.SHA256:fp</c>, <c>sub = ACCOUNT.USER</c>,
/// <c>iat</c>/<c>exp</c> in epoch seconds. Snowflake accepts at most one hour of lifetime; a
/// token is signed for <see cref="Lifetime"/> and re-signed <see cref="RenewBefore"/> ahead of
/// its expiry, so no request goes out with a token about to lapse.
/// </summary>
internal sealed class KeyPairJwtTokenSource : SnowflakeTokenSource
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(59);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private static readonly string EncodedHeader = Base64Url(Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT"}"""));

    private readonly RSA _key;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private string? _token;
    private DateTimeOffset _renewAt;

    public KeyPairJwtTokenSource(RSA key, string account, string user, TimeProvider timeProvider)
    {
        _key = key;
        _time = timeProvider;
        Fingerprint = SnowflakePrivateKey.Fingerprint(key);
        AccountName = SnowflakeAccount.JwtAccountName(account);
        UserName = user.Trim().ToUpperInvariant();
        Subject = AccountName + "." + UserName;
        Issuer = Subject + "." + Fingerprint;
    }

    public override SnowflakeAuthentication Authentication => SnowflakeAuthentication.KeyPairJwt;

    /// <summary><c>SHA256:...</c>, to compare with the user's <c>RSA_PUBLIC_KEY_FP</c>.</summary>
    public string Fingerprint { get; }

    public string AccountName { get; }

    public string UserName { get; }

    public string Subject { get; }

    public string Issuer { get; }

    public override bool CanRenew => true;

    public override string RejectionHint =>
        $"Check snowflake.rsa_key (its public key, fingerprint {Fingerprint}, must be the user's RSA_PUBLIC_KEY or RSA_PUBLIC_KEY_2), " +
        $"snowflake.user ('{UserName}') and snowflake.account (the JWT names the account '{AccountName}'; use the org-account form, e.g. myorg-myaccount, that matches the URL).";

    public override string GetToken()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_token is null || now >= _renewAt)
            {
                _token = Sign(now);
                _renewAt = now + Lifetime - RenewBefore;
            }

            return _token;
        }
    }

    public override void Invalidate()
    {
        lock (_gate)
        {
            _token = null;
        }
    }

    public override void Dispose()
    {
        _key.Dispose();
        base.Dispose();
    }

    private string Sign(DateTimeOffset now)
    {
        var issuedAt = now.ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = Subject,
            ["iat"] = issuedAt,
            ["exp"] = issuedAt + (long)Lifetime.TotalSeconds,
        });
        var signingInput = EncodedHeader + "." + Base64Url(payload);
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    internal static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
