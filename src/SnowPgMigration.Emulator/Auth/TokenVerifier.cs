using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Emulator.Auth;

/// <summary>
/// Checks bearer tokens as Snowflake does for the SQL API: key-pair JWTs signed RS256 whose issuer
/// <c>ACCOUNT.USER.SHA256:fingerprint</c> names a registered public key (fingerprint = base64 of the
/// SHA-256 of the key's DER SubjectPublicKeyInfo) and that have not expired; OAuth and programmatic
/// access tokens by exact match. With nothing registered, every request is let through.
/// </summary>
internal sealed class TokenVerifier
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, RSA> _keysByFingerprint = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tokens;

    public TokenVerifier(EmulatorOptions options)
    {
        foreach (var file in options.PublicKeyFiles)
        {
            string pem;
            try
            {
                pem = File.ReadAllText(file);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"The public key file '{file}' (--public-key) cannot be read: {error.Message}", nameof(options), error);
            }

            AddKey(pem, $"the public key file '{file}'");
        }

        foreach (var pem in options.PublicKeyPems)
        {
            AddKey(pem, "a public key given as PEM text");
        }

        _tokens = new HashSet<string>(options.AcceptedTokens, StringComparer.Ordinal);
        AcceptsAnyToken = options.AcceptsAnyToken;
    }

    public bool AcceptsAnyToken { get; }

    /// <summary>The fingerprints (<c>SHA256:...</c>) of the registered keys, for the start-up message.</summary>
    public IReadOnlyCollection<string> Fingerprints => _keysByFingerprint.Keys;

    public static string Fingerprint(RSA key) => "SHA256:" + Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>Null when the request may proceed, else the error to answer with.</summary>
    public SnowflakeError? Verify(string? authorization, string? tokenType, DateTimeOffset now)
    {
        if (AcceptsAnyToken)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(authorization) || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return SnowflakeError.MissingToken;
        }

        var token = authorization["Bearer ".Length..].Trim();
        if (_tokens.Contains(token))
        {
            return null;
        }

        var opaqueType = string.Equals(tokenType, "OAUTH", StringComparison.OrdinalIgnoreCase)
            || string.Equals(tokenType, "PROGRAMMATIC_ACCESS_TOKEN", StringComparison.OrdinalIgnoreCase);
        if (opaqueType || token.Count(c => c == '.') != 2)
        {
            return SnowflakeError.InvalidOAuthToken;
        }

        return VerifyJwt(token, now);
    }

    private SnowflakeError? VerifyJwt(string token, DateTimeOffset now)
    {
        var parts = token.Split('.');
        try
        {
            using var header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
            if (!header.RootElement.TryGetProperty("alg", out var alg) || alg.GetString() != "RS256")
            {
                return SnowflakeError.InvalidJwt("The algorithm must be RS256.");
            }

            using var payload = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var claims = payload.RootElement;
            var issuer = claims.TryGetProperty("iss", out var iss) ? iss.GetString() ?? "" : "";
            var marker = issuer.IndexOf(".SHA256:", StringComparison.Ordinal);
            if (marker < 0 || !_keysByFingerprint.TryGetValue(issuer[(marker + 1)..], out var key))
            {
                return SnowflakeError.InvalidJwt("The issuer's public key fingerprint is not registered.");
            }

            var subject = claims.TryGetProperty("sub", out var sub) ? sub.GetString() ?? "" : "";
            if (!string.Equals(subject, issuer[..marker], StringComparison.Ordinal))
            {
                return SnowflakeError.InvalidJwt("The subject does not match the issuer's ACCOUNT.USER.");
            }

            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!key.VerifyData(signed, Base64UrlDecode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return SnowflakeError.InvalidJwt("The signature does not match.");
            }

            if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expires)
                || DateTimeOffset.FromUnixTimeSeconds(expires) + ClockSkew < now)
            {
                return SnowflakeError.InvalidJwt("The token has expired.");
            }

            if (claims.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var issued)
                && DateTimeOffset.FromUnixTimeSeconds(issued) - ClockSkew > now)
            {
                return SnowflakeError.InvalidJwt("The token is issued in the future.");
            }

            return null;
        }
        catch (Exception error) when (error is FormatException or JsonException or InvalidOperationException or CryptographicException or ArgumentException)
        {
            return SnowflakeError.InvalidJwt("null");
        }
    }

    private void AddKey(string pem, string source)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException error)
        {
            rsa.Dispose();
            throw new ArgumentException($"{char.ToUpperInvariant(source[0])}{source[1..]} holds no PEM RSA public key: {error.Message}", nameof(pem), error);
        }

        _keysByFingerprint[Fingerprint(rsa)] = rsa;
    }

    private static byte[] Base64UrlDecode(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        return Convert.FromBase64String(base64);
    }
}
