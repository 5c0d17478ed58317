using System.Security.Cryptography;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Loads the RSA private key for key-pair authentication from PEM text or a PEM file:
/// PKCS#1 (<c>RSA PRIVATE KEY</c>), PKCS#8 (<c>PRIVATE KEY</c>) or encrypted PKCS#8
/// (<c>ENCRYPTED PRIVATE KEY</c>, with the passphrase). Messages never echo key material.
/// </summary>
public static class SnowflakePrivateKey
{
    private const string EncryptedLabel = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

    /// <summary>Loads <paramref name="rsaKey"/> (PEM text or a file path) into a new <see cref="RSA"/>.</summary>
    public static RSA Load(string rsaKey, string? passphrase)
    {
        ArgumentNullException.ThrowIfNull(rsaKey);
        var pem = rsaKey.Contains("-----BEGIN", StringComparison.Ordinal) ? rsaKey : ReadKeyFile(rsaKey);
        var rsa = RSA.Create();
        try
        {
            if (pem.Contains(EncryptedLabel, StringComparison.Ordinal))
            {
                if (string.IsNullOrEmpty(passphrase))
                {
                    throw Invalid("snowflake.rsa_key is an encrypted private key but snowflake.rsa_key_passphrase is not set.");
                }

                try
                {
                    rsa.ImportFromEncryptedPem(pem, passphrase);
                }
                catch (CryptographicException ex)
                {
                    throw Invalid("snowflake.rsa_key_passphrase does not decrypt snowflake.rsa_key (wrong passphrase, or an unsupported encryption).", ex);
                }
            }
            else
            {
                try
                {
                    rsa.ImportFromPem(pem);
                }
                catch (ArgumentException ex)
                {
                    throw Invalid("snowflake.rsa_key holds no RSA private key in PEM form (expected 'BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY' or 'BEGIN ENCRYPTED PRIVATE KEY').", ex);
                }
                catch (CryptographicException ex)
                {
                    throw Invalid("snowflake.rsa_key could not be read as an RSA private key.", ex);
                }
            }

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

    private static string ReadKeyFile(string path)
    {
        // Name the path only when it looks like one, and never attach the I/O exception (its
        // message repeats the "path"), so a pasted key without its PEM header never lands in a message.
        var printable = path.Length <= 512 && path.IndexOfAny(['\n', '\r']) < 0 ? $" '{path}'" : string.Empty;
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Invalid(
                $"snowflake.rsa_key is neither PEM text nor a readable key file{printable}: {ex.GetType().Name}.");
        }
    }

    private static SnowflakeException Invalid(string message, Exception? inner = null) =>
        new(ErrorCatalog.SnowflakePrivateKeyInvalid, message, innerException: inner);
}
