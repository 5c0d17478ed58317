namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>The throwaway test key in its three PEM forms (see Keys/README.md).</summary>
internal static class TestKeys
{
    public const string Passphrase = "test-passphrase";

    private static string KeyDirectory => Path.Combine(AppContext.BaseDirectory, "Snowflake", "Keys");

    public static string Pkcs8Path => Path.Combine(KeyDirectory, "test-rsa-key.pkcs8.pem");

    public static string Pkcs1Path => Path.Combine(KeyDirectory, "test-rsa-key.pkcs1.pem");

    public static string EncryptedPath => Path.Combine(KeyDirectory, "test-rsa-key.encrypted.pem");

    /// <summary>base64(SHA-256(DER public key)) as computed by openssl, independently of the client.</summary>
    public static string OpensslFingerprint => File.ReadAllText(Path.Combine(KeyDirectory, "test-rsa-key.fingerprint.txt")).Trim();
}
