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

    /// <summary>The type of <see cref="Lower"/>, <see cref="Upper"/> and <see cref="Values"/> (a <see cref="ChunkBoundValue"/> name).</summary>
    public string? KeyType { get; init; }

    /// <summary>The type of <see cref="SubLower"/> and <see cref="SubUpper"/>.</summary>
    public string? SubKeyType { get; init; }

    /// <summary>For offset pages: the source columns of <see cref="OrderBy"/>, from which the order is rebuilt.</summary>
    public IReadOnlyList<string>? OrderColumns { get; init; }

    /// <summary>The source watermark column the table's run reads from <see cref="WatermarkFrom"/> on, when it reads only newer rows.</summary>
    public string? WatermarkColumn { get; init; }

    /// <summary>The inclusive lower limit of <see cref="WatermarkColumn"/>.</summary>
    public string? WatermarkFrom { get; init; }

    /// <summary>The type of <see cref="WatermarkFrom"/>.</summary>
    public string? WatermarkType { get; init; }
}
