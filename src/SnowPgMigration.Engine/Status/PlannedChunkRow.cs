namespace SnowPgMigration.Engine.Status;

/// <summary>
/// A chunk's row in <c>migration_status.migration_chunk_status</c>, recorded as <c>pending</c>: the planner's
/// <see cref="Planning.PlannedChunk"/> (or a repair's range) as text and JSON.
/// </summary>
/// <param name="ChunkId">Unique within the table; claims go in this order.</param>
/// <param name="Strategy">The chunking strategy's name, e.g. <c>ntile</c>, <c>date_range</c>, <c>single</c>.</param>
/// <param name="Predicate">The source-side SQL predicate for the chunk's rows.</param>
/// <param name="BoundsJson">The bounds as JSON (stored as <c>jsonb</c>), or null.</param>
/// <param name="ExpectedRows">Rows the planner counted for the chunk, or null.</param>
public sealed record PlannedChunkRow(int ChunkId, string Strategy, string? Predicate, string? BoundsJson, long? ExpectedRows);
