namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// The structured bounds of a chunk, stored beside its predicate so that tools (gap finding,
/// repair) can reason about chunks without parsing SQL. Values are kept as invariant text.
/// </summary>
/// <param name="Column">The key the bounds apply to.</param>
/// <param name="Lower">Inclusive lower bound, or null when open below.</param>
/// <param name="Upper">Exclusive upper bound, or null when open above.</param>
/// <param name="IsNullKeys">The chunk of rows whose key is NULL.</param>
/// <param name="Values">For grouped values: the values in this chunk.</param>
/// <param name="IsRemainder">For grouped values: every value not in another chunk.</param>
/// <param name="Day">For sub-chunks: the calendar day the secondary range lies in.</param>
/// <param name="Offset">For offset pages: rows skipped.</param>
/// <param name="Limit">For offset pages: rows taken, or null for the open-ended last page.</param>
public sealed record ChunkBounds(
    string? Column,
    string? Lower = null,
    string? Upper = null,
    bool IsNullKeys = false,
    IReadOnlyList<string>? Values = null,
    bool IsRemainder = false,
    string? Day = null,
    long? Offset = null,
    long? Limit = null)
{
    /// <summary>For sub-chunks: the secondary key that splits an oversized day.</summary>
    public string? SubColumn { get; init; }

    /// <summary>For sub-chunks: inclusive lower bound of the secondary key, or null when open.</summary>
    public string? SubLower { get; init; }

    /// <summary>For sub-chunks: exclusive upper bound of the secondary key, or null when open.</summary>
    public string? SubUpper { get; init; }

    /// <summary>For offset pages: the deterministic order the pages are cut from.</summary>
    public string? OrderBy { get; init; }
}
