namespace SnowPgMigration.Engine.Status;

/// <summary>How a host named the status database: a config file and source, or a connection string.</summary>
public sealed record StatusConnectionRequest
{
    public string? ConfigPath { get; init; }

    public string? SourceName { get; init; }

    public string? EnvFilePath { get; init; }

    public string? ConnectionString { get; init; }

    /// <summary>Replaces the user of the config or connection string, with <see cref="Password"/>.</summary>
    public string? UserName { get; init; }

    /// <summary>Secret.</summary>
    public string? Password { get; init; }

    public override string ToString() =>
        $"StatusConnectionRequest {{ ConfigPath = {ConfigPath}, SourceName = {SourceName}, EnvFilePath = {EnvFilePath}, " +
        $"ConnectionString = {(ConnectionString is null ? "" : "***")}, UserName = {UserName}, Password = {(Password is null ? "" : "***")} }}";
}
