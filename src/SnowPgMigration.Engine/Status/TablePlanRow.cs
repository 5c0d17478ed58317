namespace SnowPgMigration.Engine.Status;

/// <summary>
/// A table's row in <c>migration_status.migration_table_status</c> as its plan records it, before its chunks; the planner's own
/// <see cref="Planning.TablePlan"/> is what it is made from. Recording again updates the non-null facts.
/// </summary>
public sealed record TablePlanRow
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
