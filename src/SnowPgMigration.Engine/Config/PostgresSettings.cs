namespace SnowPgMigration.Engine.Config;

/// <summary>The config's <c>postgres</c> block: the target server. Each source names its database.</summary>
public sealed record PostgresSettings
{
    public required string Host { get; init; }

    public int Port { get; init; } = 5432;

    public string? User { get; init; }

    /// <summary>Secret.</summary>
    public string? Password { get; init; }

    /// <summary>Default database when a source names none.</summary>
    public string? Database { get; init; }

    /// <summary>Npgsql SSL mode name (<c>Disable</c>, <c>Prefer</c>, <c>Require</c>, <c>VerifyFull</c>...).</summary>
    public string? SslMode { get; init; }

    /// <summary>Settings as text for logs: the password replaced by a marker.</summary>
    public override string ToString() =>
        $"PostgresSettings {{ Host = {Host}, Port = {Port}, User = {User}, Database = {Database}, SslMode = {SslMode}, " +
        $"Password = {(Password is null ? "" : "***")} }}";
}
