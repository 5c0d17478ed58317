namespace SnowPgMigration.Engine.Verification;

/// <summary>What to repair: the differing ranges of one table (or only those of <see cref="Ranges"/> that still differ).</summary>
public sealed record RepairRequest
{
    /// <summary>The safe default of <see cref="MaxDeleteRatio"/>: a repair removes at most a tenth of a table's target rows.</summary>
    public const double DefaultMaxDeleteRatio = 0.1;

    /// <summary>Only this source (source_name).</summary>
    public string? Source { get; init; }

    /// <summary>The table (target or source name).</summary>
    public required string Table { get; init; }

    /// <summary>Only these ranges (as a verify or Find-SfPgGap named them); null repairs every differing range.</summary>
    public IReadOnlyCollection<RangeBounds>? Ranges { get; init; }

    /// <summary>
    /// Compares at this depth instead of the table's <c>verify</c> setting: ranges found differing by checksums (rows changed
    /// in place, equal counts) are only seen, and so re-loaded, when the repair compares by checksums too.
    /// </summary>
    public VerifyDepth? Depth { get; init; }

    /// <summary>Also repair ranges where the target holds more rows than the source, deleting the extra rows.</summary>
    public bool DeleteExtra { get; init; }

    /// <summary>The most of the table's target rows the extra rows deleted may be, as a fraction.</summary>
    public double MaxDeleteRatio { get; init; } = DefaultMaxDeleteRatio;

    /// <summary>Only say which ranges would be re-loaded, with their counts; change nothing.</summary>
    public bool DryRun { get; init; }
}
