namespace SnowPgMigration.Engine.Verification;

/// <summary>What to verify: every enabled table, or one source's, or one table.</summary>
public sealed record VerifyRequest
{
    /// <summary>Only this source (source_name).</summary>
    public string? Source { get; init; }

    /// <summary>Only this table (target or source name).</summary>
    public string? Table { get; init; }

    /// <summary>Overrides each table's <c>verify</c>.</summary>
    public VerifyDepth? Depth { get; init; }

    /// <summary>
    /// Also narrows each differing range down to keys (<see cref="KeyedComparison"/>): exact counts of missing, extra and
    /// changed rows with their first keys. Ranges are then found by checksums, so that rows changed in place are seen too.
    /// </summary>
    public bool Deep { get; init; }
}
