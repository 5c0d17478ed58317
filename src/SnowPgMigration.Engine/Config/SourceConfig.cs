namespace SnowPgMigration.Engine.Config;

/// <summary>One entry of <c>sources[]</c>: a Snowflake schema copied into a PostgreSQL schema.</summary>
public sealed record SourceConfig
{
    public required string SourceName { get; init; }

    public required string SourceSfDatabase { get; init; }

    public required string SourceSfSchema { get; init; }

    public required string TargetPgDatabase { get; init; }

    public required string TargetPgSchema { get; init; }

    public bool Enabled { get; init; } = true;

    public IReadOnlyList<TableConfig> Tables { get; init; } = [];
}
