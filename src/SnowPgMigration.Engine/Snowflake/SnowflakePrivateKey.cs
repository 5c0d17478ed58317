using System.Security.Cryptography;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Loads the RSA private key for key-pair authentication: PKCS#1 (<c>RSA PRIVATE KEY</c>), PKCS#8
/// (<c>PRIVATE KEY</c>) or encrypted PKCS#8 (<c>ENCRYPTED PRIVATE KEY</c>, with the passphrase), given as
/// PEM text, PEM text with literal <c>\n</c> (as an environment variable often holds it), the bare base64
/// body of such a key, or the path of a PEM file. Messages never echo key material.
/// </summary>
public static class SnowflakePrivateKey
{
    private const string EncryptedLabel = "ENCRYPTED PRIVATE KEY";
    private const string Pkcs8Label = "PRIVATE KEY";
    private const string Pkcs1Label = "RSA PRIVATE KEY";

    /// <summary>A bare base64 body shorter than this is not taken for a key (the smallest RSA key is longer).</summary>
    private const int MinimumBodyLength = 100;

    /// <summary>Loads <paramref name="rsaKey"/> (see the class summary for its forms) into a new <see cref="RSA"/>.</summary>
    public static RSA Load(string rsaKey, string? passphrase)
    {
        ArgumentNullException.ThrowIfNull(rsaKey);
        var (label, der) = Read(rsaKey.Trim());
        var rsa = RSA.Create();
        try
        {
            Import(rsa, label, der, passphrase);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The public key fingerprint Snowflake stores as <c>RSA_PUBLIC_KEY_FP</c>:
    /// <c>SHA256:</c> + base64 (with padding) of the SHA-256 of the DER SubjectPublicKeyInfo.
    /// </summary>
    public static string Fingerprint(RSA key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return "SHA256:" + Convert.ToBase64String(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The PEM label (null for a bare body, whose form is found from its contents) and the DER bytes.</summary>
    private static (string? Label, byte[] Der) Read(string text)
    {
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return ReadPem(text);
        }

        if (!File.Exists(text) && TryReadBareBody(text, out var body))
        {
            return (null, body);
        }

        var file = ReadKeyFile(text);
        if (file.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return ReadPem(file);
        }

        if (TryReadBareBody(file.Trim(), out var fileBody))
        {
            return (null, fileBody);
        }

        throw NotAKey("the key file holds neither PEM text nor a base64 key body.");
    }

    private static (string? Label, byte[] Der) ReadPem(string text)
    {
        // A key kept in one environment variable or JSON string often carries its line breaks as literal "\n";
        // base64 never contains a backslash, so these can only be line breaks.
        var pem = text.Replace("\\r", "", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw NotAKey("it contains '-----BEGIN' but no complete PEM block (check the BEGIN and END lines and the base64 between them).");
        }

        var label = pem[fields.Label];
        if (label is not (Pkcs8Label or Pkcs1Label or EncryptedLabel))
        {
            throw label.EndsWith("PRIVATE KEY", StringComparison.Ordinal)
                ? NotRsa($"a '{label}'")
                : NotAKey($"its PEM block is a '{label}', not a private key (expected 'BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY' or 'BEGIN ENCRYPTED PRIVATE KEY').");
        }

        return (label, Convert.FromBase64String(pem[fields.Base64Data].ToString()));
    }

    private static bool TryReadBareBody(string text, out byte[] der)
    {
        der = [];
        var compact = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        if (compact.Length < MinimumBodyLength || !compact.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='))
        {
            return false;
        }

        var buffer = new byte[compact.Length];
        if (!Convert.TryFromBase64String(compact, buffer, out var written))
        {
            return false;
        }

        der = buffer[..written];
        return true;
    }

    private static void Import(RSA rsa, string? label, byte[] der, string? passphrase)
    {
        var form = label switch
        {
            Pkcs1Label => PrivateKeyDer.Form.Pkcs1,
            EncryptedLabel => PrivateKeyDer.Form.EncryptedPkcs8,
            _ => PrivateKeyDer.Classify(der, out var algorithm) switch
            {
                PrivateKeyDer.Form.Pkcs8 when algorithm != PrivateKeyDer.RsaAlgorithm => throw NotRsa(PrivateKeyDer.Describe(algorithm)),
                var classified => classified,
            },
        };

        try
        {
            switch (form)
            {
                case PrivateKeyDer.Form.Pkcs8:
                    rsa.ImportPkcs8PrivateKey(der, out _);
                    return;
                case PrivateKeyDer.Form.Pkcs1:
                    rsa.ImportRSAPrivateKey(der, out _);
                    return;
                case PrivateKeyDer.Form.EncryptedPkcs8:
                    ImportEncrypted(rsa, der, passphrase);
                    return;
                default:
                    throw NotAKey("it is neither PEM text, nor the base64 body of a private key, nor the path of a key file.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new SnowflakeException(
                ErrorCatalog.SnowflakePrivateKeyInvalid, "snowflake.rsa_key could not be read as an RSA private key.", innerException: ex);
        }
    }

    private static void ImportEncrypted(RSA rsa, byte[] der, string? passphrase)
    {
        if (string.IsNullOrEmpty(passphrase))
        {
            throw new SnowflakeException(
                ErrorCatalog.SnowflakeKeyPassphrase,
                "snowflake.rsa_key is an encrypted private key but snowflake.rsa_key_passphrase is not set.");
        }

        try
        {
            rsa.ImportEncryptedPkcs8PrivateKey(passphrase, der, out _);
        }
        catch (CryptographicException ex)
        {
            throw new SnowflakeException(
                ErrorCatalog.SnowflakeKeyPassphrase,
                "snowflake.rsa_key_passphrase does not decrypt snowflake.rsa_key (wrong passphrase, an unsupported encryption, or a key that is not RSA).",
                innerException: ex);
        }
    }

    private static string ReadKeyFile(string path)
    {
        // Name the path only when it looks like one, and never attach the I/O exception (its
        // message repeats the "path"), so a damaged key body never lands in a message.
        var printable = path.Length <= 512 && path.IndexOfAny(['\n', '\r']) < 0 ? $" '{path}'" : string.Empty;
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SnowflakeException(
                ErrorCatalog.SnowflakeKeyFileNotFound,
                $"snowflake.rsa_key is neither PEM text, nor a base64 key body, nor a readable key file{printable}: {(ex is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ex.GetType().Name)}.");
        }
    }

    private static SnowflakeException NotAKey(string why) =>
        new(ErrorCatalog.SnowflakeKeyNotAKey, $"snowflake.rsa_key holds no RSA private key: {why}");

    private static SnowflakeException NotRsa(string what) =>
        new(ErrorCatalog.SnowflakeKeyNotRsa, $"snowflake.rsa_key is {what} private key; Snowflake key-pair authentication needs an RSA key.");
}
