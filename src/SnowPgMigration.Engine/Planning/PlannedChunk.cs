namespace SnowPgMigration.Engine.Planning;

/// <summary>One chunk of a table's plan.</summary>
/// <param name="ChunkId">0-based, in plan order.</param>
/// <param name="Predicate">Snowflake SQL selecting exactly this chunk's rows (without the table's source filter).</param>
/// <param name="OrderBy">Snowflake ORDER BY list that pages need; null when order does not matter.</param>
/// <param name="ExpectedRows">Rows the chunk held when it was planned.</param>
public sealed record PlannedChunk(
    int ChunkId,
    ChunkStrategy Strategy,
    string Predicate,
    ChunkBounds Bounds,
    long ExpectedRows,
    string? OrderBy = null,
    long? Offset = null,
    long? Limit = null);
