using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Planning;

/// <summary>What the planner needs to know about one table.</summary>
/// <param name="SourceTable">The Snowflake table.</param>
/// <param name="Scope">Predicate limiting the rows to copy (source filter, watermark), or null for all rows.</param>
/// <param name="ChunkingColumns">Source column names, unquoted, case as in Snowflake.</param>
/// <param name="KeyFamilies">One per chunking column.</param>
/// <param name="UniquenessColumns">Source column names that identify a row; used to split oversized days.</param>
/// <param name="ForcedStrategy">A strategy the config insists on, or null to choose automatically.</param>
public sealed record ChunkPlanRequest(
    SnowflakeTableName SourceTable,
    string? Scope,
    IReadOnlyList<string> ChunkingColumns,
    IReadOnlyList<ChunkKeyFamily> KeyFamilies,
    IReadOnlyList<string> UniquenessColumns,
    int BatchSize,
    ChunkStrategy? ForcedStrategy = null);
