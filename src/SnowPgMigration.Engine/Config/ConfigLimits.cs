namespace SnowPgMigration.Engine.Config;

/// <summary>The ranges numeric settings must fall in.</summary>
public static class ConfigLimits
{
    public const int MinParallelThreads = 1;
    public const int MaxParallelThreads = 64;
    public const int MinBatchSize = 1;
    public const int MaxBatchSize = 10_000_000;
    public const int MinRetryAttempts = 0;
    public const int MaxRetryAttempts = 20;
    public const int MinDeadlineBufferSeconds = 0;
    public const int MaxDeadlineBufferSeconds = 86_400;
    public const int MinPort = 1;
    public const int MaxPort = 65_535;

    /// <summary>Snowflake's own ceiling for STATEMENT_TIMEOUT_IN_SECONDS (7 days); 0 means the server default.</summary>
    public const int MaxStatementTimeoutSeconds = 604_800;
}
