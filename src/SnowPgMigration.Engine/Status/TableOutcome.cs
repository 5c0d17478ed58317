namespace SnowPgMigration.Engine.Status;

/// <summary>How a table ended: its final status, its verification, and its error if any.</summary>
public sealed record TableOutcome
{
    public required Guid RunId { get; init; }

    public required string Table { get; init; }

    public required ProgressStatus Status { get; init; }

    public long? TargetRowCount { get; init; }

    /// <summary>The source's rows over the compared ranges; null keeps the planned count.</summary>
    public long? SourceRowCount { get; init; }

    /// <summary>How the target was compared with the source (<c>counts</c>, <c>checksums</c>, <c>none</c>); null when it was not.</summary>
    public string? VerifyMethod { get; init; }

    /// <summary>The differing ranges as a JSON array (empty when none differ); null when not compared.</summary>
    public string? DifferingRangesJson { get; init; }

    /// <summary>The verification result in words, e.g. <c>rows match: 1000 = 1000</c>.</summary>
    public string? Verification { get; init; }

    public string? Error { get; init; }
}
