namespace SnowPgMigration.Engine.Status;

/// <summary>
/// A table's plan to record in one transaction with everything that must not happen without it:
/// taking the table's loader, emptying the target (<c>truncate_onstart</c>), replacing an earlier plan
/// of the same run, and the chunk list.
/// </summary>
public sealed record PlanRecording
{
    public required TablePlanRow Plan { get; init; }

    public required string SourceName { get; init; }

    public required IReadOnlyList<PlannedChunkRow> Chunks { get; init; }

    /// <summary>The run's owner; the plan is recorded only while the run is running under it.</summary>
    public Guid? OwnerToken { get; init; }

    /// <summary>Truncate the target table in the same transaction (quoted by the caller's one quoting function).</summary>
    public string? TruncateSql { get; init; }

    /// <summary>Replace a plan this run already recorded for the table (its chunks are deleted).</summary>
    public bool ReplaceEarlierPlan { get; init; }

    /// <summary>
    /// Decides whether the run that holds the table's loader is still loading it: a live run keeps the
    /// table (the plan is refused); an ended, stale or finished one hands it over.
    /// </summary>
    public required Func<TableLoader, bool> IsStillLoading { get; init; }
}
