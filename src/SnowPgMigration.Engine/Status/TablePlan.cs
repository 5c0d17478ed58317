namespace SnowPgMigration.Engine.Status;

/// <summary>A table of a run as recorded before its chunks. Recording again updates the non-null facts.</summary>
public sealed record TablePlan
{
    public required Guid RunId { get; init; }

    /// <summary>The target table's name (the config's <c>target</c>).</summary>
    public required string Table { get; init; }

    public required string SourceTable { get; init; }

    public required string TargetSchema { get; init; }

    /// <summary>How rows are written, e.g. <c>copy</c>, <c>upsert</c>, <c>insert_only</c>.</summary>
    public string? LoadMethod { get; init; }

    public string? Strategy { get; init; }

    public long? SourceRowCount { get; init; }
}
