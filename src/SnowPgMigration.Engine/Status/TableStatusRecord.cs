namespace SnowPgMigration.Engine.Status;

/// <summary>
/// One table of a run: its <c>migration_table_status</c> row plus progress counted from its
/// chunks (as <c>v_table_progress</c> shows it).
/// </summary>
public sealed record TableStatusRecord
{
    public required Guid RunId { get; init; }

    /// <summary>The target table's name (the config's <c>target</c>): the table's key within a run.</summary>
    public required string Table { get; init; }

    public required string SourceTable { get; init; }

    public required string TargetSchema { get; init; }

    public string? LoadMethod { get; init; }

    public string? Strategy { get; init; }

    public required ProgressStatus Status { get; init; }

    public long? SourceRowCount { get; init; }

    public long? TargetRowCount { get; init; }

    /// <summary>Rows of the table's completed chunks.</summary>
    public long RowsCopied { get; init; }

    /// <summary>The source count when known, else the planned rows of the chunks.</summary>
    public long? RowsExpected { get; init; }

    public StatusCounts Chunks { get; init; } = StatusCounts.Empty;

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? Error { get; init; }

    /// <summary>The verification result, e.g. <c>rows match: 1000 = 1000</c>; null before verification.</summary>
    public string? Verification { get; init; }

    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>When the table's plan was recorded in this run (with its truncate); null before. A planned table is never planned again in its run.</summary>
    public DateTimeOffset? PlannedAt { get; init; }
}
