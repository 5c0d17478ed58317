namespace SnowPgMigration.Engine.Config;

/// <summary>
/// The effective configuration of a migration: the config file after variable substitution,
/// defaults and the effective-config rules, ready for the engine.
/// </summary>
public sealed record MigrationConfig
{
    public const int DefaultParallelThreads = 4;
    public const int DefaultBatchSize = 10_000;
    public const int DefaultMaxRetryAttempts = 3;
    public const int DefaultDeadlineBufferSeconds = 120;

    public required SnowflakeSettings Snowflake { get; init; }

    public required PostgresSettings Postgres { get; init; }

    public int ParallelThreads { get; init; } = DefaultParallelThreads;

    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Rows per chunk for tables loaded by COPY (<c>batch_size_copy_mode</c>); null means <see cref="BatchSize"/>.</summary>
    public int? BatchSizeCopyMode { get; init; }

    /// <summary>
    /// The older tool's <c>status_tracking_database</c>, kept for messages only: status always lives in each
    /// target database, because a chunk's rows and its status commit in one transaction.
    /// </summary>
    public string? StatusTrackingDatabase { get; init; }

    public int MaxRetryAttempts { get; init; } = DefaultMaxRetryAttempts;

    /// <summary>Seconds before a deadline at which no new chunk is claimed (<c>lambda_timeout_buffer_seconds</c> in older files).</summary>
    public int DeadlineBufferSeconds { get; init; } = DefaultDeadlineBufferSeconds;

    public IReadOnlyList<SourceConfig> Sources { get; init; } = [];

    /// <summary>The Azure Blob stage of tables with <c>"extract": "unload"</c>; null when the config has none.</summary>
    public StageSettings? Stage { get; init; }

    /// <summary>The file the config was read from, for messages; null when built in memory.</summary>
    public string? SourcePath { get; init; }
}
