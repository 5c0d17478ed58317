namespace SnowPgMigration.Engine.Status;

/// <summary>A resolved status database: the connection string (secret) and a description safe to show.</summary>
public sealed record StatusTarget
{
    /// <summary>Secret: may hold a password.</summary>
    public required string ConnectionString { get; init; }

    public required string Host { get; init; }

    public int Port { get; init; }

    public required string Database { get; init; }

    public string? UserName { get; init; }

    /// <summary>The config source it was resolved from; null for a connection string.</summary>
    public string? SourceName { get; init; }

    /// <summary><c>user@host:port/database</c>, without the password.</summary>
    public string Description => $"{(UserName is null ? "" : UserName + "@")}{Host}:{Port}/{Database}";

    public override string ToString() => Description;
}
