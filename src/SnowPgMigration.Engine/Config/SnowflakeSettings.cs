namespace SnowPgMigration.Engine.Config;

/// <summary>The config's <c>snowflake</c> block: where the SQL API is and how to authenticate.</summary>
public sealed record SnowflakeSettings
{
    /// <summary>Account identifier, e.g. <c>myorg-myaccount</c> or <c>xy12345.us-east-1</c>.</summary>
    public required string Account { get; init; }

    public string? User { get; init; }

    public string? Role { get; init; }

    public string? Warehouse { get; init; }

    /// <summary>RSA private key for key-pair JWT: a file path or PEM text. Secret.</summary>
    public string? RsaKey { get; init; }

    /// <summary>Passphrase of an encrypted PKCS#8 <see cref="RsaKey"/>. Secret.</summary>
    public string? RsaKeyPassphrase { get; init; }

    /// <summary>OAuth access token or programmatic access token. Secret.</summary>
    public string? Token { get; init; }

    /// <summary><c>SNOWFLAKE_JWT</c> (default with a key), <c>OAUTH</c>, or <c>PROGRAMMATIC_ACCESS_TOKEN</c>.</summary>
    public string? Authenticator { get; init; }

    /// <summary>Overrides the host derived from the account (e.g. the emulator's <c>127.0.0.1</c>).</summary>
    public string? Host { get; init; }

    public int? Port { get; init; }

    /// <summary><c>https</c> (default) or <c>http</c> (the local emulator).</summary>
    public string? Scheme { get; init; }

    /// <summary>
    /// Opt-in for <c>http</c> to a host that is not loopback (a test endpoint on another machine): credentials then
    /// travel unencrypted. Without it, http is refused for any host but this machine.
    /// </summary>
    public bool AllowInsecureHttp { get; init; }

    /// <summary>Statement timeout in seconds sent with each statement; null for the server default.</summary>
    public int? StatementTimeoutSeconds { get; init; }

    /// <summary>Settings as text for logs and hashes: every secret replaced by a marker.</summary>
    public override string ToString() =>
        $"SnowflakeSettings {{ Account = {Account}, User = {User}, Role = {Role}, Warehouse = {Warehouse}, " +
        $"Authenticator = {Authenticator}, Host = {Host}, Port = {Port}, Scheme = {Scheme}, " +
        $"RsaKey = {(RsaKey is null ? "" : "***")}, Token = {(Token is null ? "" : "***")} }}";
}
