namespace SnowPgMigration.Engine.Planning;

/// <summary>How one table will be copied: the strategy, why it was chosen, and its chunks.</summary>
/// <param name="Scope">The filter every chunk query adds: the table's source filter and any watermark filter.</param>
/// <param name="SourceStatements">How many statements planning sent to the source (at most three per table, whatever its size).</param>
public sealed record TablePlan(
    string SourceTable,
    ChunkStrategy Strategy,
    string Reason,
    string? Scope,
    IReadOnlyList<PlannedChunk> Chunks,
    int SourceStatements)
{
    public long ExpectedRows => Chunks.Sum(c => c.ExpectedRows);
}
