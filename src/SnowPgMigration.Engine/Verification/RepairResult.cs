namespace SnowPgMigration.Engine.Verification;

/// <summary>What a repair of one table did (or, for a dry run, would do).</summary>
public sealed record RepairResult
{
    public required string SourceName { get; init; }

    /// <summary>The target table, <c>schema.table</c>.</summary>
    public required string Table { get; init; }

    /// <summary>The repair's own run (<c>run_kind</c> 'repair'); null for a dry run or when nothing differed.</summary>
    public Guid? RunId { get; init; }

    public bool DryRun { get; init; }

    /// <summary>The table compared before the repair.</summary>
    public required RangeComparison Before { get; init; }

    /// <summary>The ranges re-loaded (or that a dry run would re-load), with their counts before.</summary>
    public required IReadOnlyList<RangeCount> Reloaded { get; init; }

    /// <summary>Ranges left alone because the target holds more rows than the source and extra rows were not to be deleted.</summary>
    public required IReadOnlyList<RangeCount> SkippedExtra { get; init; }

    /// <summary>The table compared again over the same ranges after the repair; null for a dry run or when nothing was re-loaded.</summary>
    public RangeComparison? After { get; init; }

    /// <summary>Rows copied from the source by the repair.</summary>
    public long RowsCopied { get; init; }

    /// <summary>The target equals the source now (for a dry run: already before).</summary>
    public bool Equal => (After ?? Before).Equal;
}
