namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// One range of a table compared on both sides. The predicates are for people to read; repair rebuilds
/// them from <see cref="Bounds"/>, which is also how a deeper comparison can narrow a differing range down.
/// </summary>
public sealed record RangeCount
{
    public required int RangeId { get; init; }

    /// <summary>The range's strategy and bounds, as a chunk stores them (without any watermark limit).</summary>
    public required RangeBounds Bounds { get; init; }

    /// <summary>The Snowflake predicate (source_filter included).</summary>
    public required string SourcePredicate { get; init; }

    /// <summary>The PostgreSQL predicate over the target's columns, with its values written in.</summary>
    public required string TargetPredicate { get; init; }

    /// <summary>The lowest key of the range, null when open below or not a value range.</summary>
    public string? Lower { get; init; }

    /// <summary>The key the range stops before, null when open above or not a value range.</summary>
    public string? Upper { get; init; }

    public required long SourceRows { get; init; }

    public required long TargetRows { get; init; }

    /// <summary>Checksums of both sides when compared with <see cref="VerifyDepth.Checksums"/>; otherwise null.</summary>
    public string? SourceChecksum { get; init; }

    public string? TargetChecksum { get; init; }

    /// <summary>The range narrowed down to keys (a deep comparison); null when not compared that deep.</summary>
    public KeyedComparisonResult? Keys { get; init; }

    public bool Differs => SourceRows != TargetRows || !string.Equals(SourceChecksum, TargetChecksum, StringComparison.Ordinal);

    /// <summary>Rows the target holds beyond the source's in this range (0 when it holds fewer).</summary>
    public long ExtraRows => Math.Max(0, TargetRows - SourceRows);
}
