using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>Everything workers need to copy a table's chunks, settled before the first worker starts.</summary>
public sealed record PreparedTable(
    TableConfig Config,
    SnowflakeTableName SourceTable,
    string TargetSchema,
    TargetTableWriter Writer,
    IReadOnlyList<string> SourceColumns,
    int Workers);
