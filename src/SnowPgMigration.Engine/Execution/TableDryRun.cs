using SnowPgMigration.Engine.Planning;

namespace SnowPgMigration.Engine.Execution;

/// <summary>What a migration would do to one table, without doing it.</summary>
public sealed record TableDryRun
{
    public required string SourceName { get; init; }

    public required string SourceTable { get; init; }

    public required string Table { get; init; }

    public required string Strategy { get; init; }

    public required string StrategyReason { get; init; }

    public required string LoadMethod { get; init; }

    public required string LoadMethodReason { get; init; }

    public required IReadOnlyList<PlannedChunk> Chunks { get; init; }

    public long ExpectedRows => Chunks.Sum(c => c.ExpectedRows);

    public long MinChunkRows => Chunks.Count == 0 ? 0 : Chunks.Min(c => c.ExpectedRows);

    public long MaxChunkRows => Chunks.Count == 0 ? 0 : Chunks.Max(c => c.ExpectedRows);

    public long MedianChunkRows
    {
        get
        {
            if (Chunks.Count == 0)
            {
                return 0;
            }

            var sorted = Chunks.Select(c => c.ExpectedRows).Order().ToList();
            return sorted[sorted.Count / 2];
        }
    }

    /// <summary>The DDL a run would execute first to create or evolve the target table (create_target, schema_evolution).</summary>
    public IReadOnlyList<string> TargetDdl { get; init; } = [];

    /// <summary>
    /// Warnings to show with the plan. Planning itself reports its warnings through the reporter as they arise, so
    /// the engine leaves this empty.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Set when the table cannot be planned; the other fields are then empty.</summary>
    public string? Error { get; init; }
}
