namespace SnowPgMigration.Engine.Status;

/// <summary>
/// The run that last planned a target table (<c>migration_table_loader</c>): it may have truncated or
/// loaded it, so only it may go on loading the table by its recorded plan.
/// </summary>
public sealed record TableLoader
{
    public required string TargetSchema { get; init; }

    public required string Table { get; init; }

    public required Guid RunId { get; init; }

    public required string SourceName { get; init; }

    /// <summary>True until the run finished the table (completed, incomplete or failed).</summary>
    public required bool Loading { get; init; }

    public required DateTimeOffset PlannedAt { get; init; }

    /// <summary>The loading run as it is now; null when its record was removed.</summary>
    public RunRecord? Run { get; init; }
}
