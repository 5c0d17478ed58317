namespace SnowPgMigration.Engine.Config;

/// <summary>One entry of a source's <c>tables[]</c>, after the effective-config rules.</summary>
/// <remarks>
/// Snowflake-side names (<see cref="Source"/>, <see cref="ChunkingColumns"/>, <see cref="SortColumns"/>,
/// <see cref="SourceWatermark"/>, the keys of <see cref="ColumnMapping"/>) are normalised as Snowflake stores them
/// (see <see cref="SnowflakeName"/>); PostgreSQL-side names (<see cref="Target"/>, <see cref="UniquenessColumns"/>,
/// <see cref="TargetWatermark"/>, the values of <see cref="ColumnMapping"/>) keep their case as written.
/// With <see cref="TruncateOnStart"/> the upsert settings are inert: uniqueness columns and watermarks are empty.
/// </remarks>
public sealed record TableConfig
{
    /// <summary>Snowflake table name, normalised: unquoted names upper-cased, quoted names as written.</summary>
    public required string Source { get; init; }

    /// <summary>PostgreSQL table name, case kept.</summary>
    public required string Target { get; init; }

    public bool Enabled { get; init; } = true;

    /// <summary>
    /// An SQL predicate run in Snowflake as written, checked by <see cref="SourceFilterSyntax"/> to be one
    /// predicate (no comment, no <c>;</c>, balanced parentheses) and always placed inside its own parentheses.
    /// </summary>
    public string? SourceFilter { get; init; }

    public IReadOnlyList<string> ChunkingColumns { get; init; } = [];

    /// <summary>One type per chunking column: <c>int</c>, <c>uuid</c>, <c>date</c>, <c>timestamp</c>, <c>varchar</c>...</summary>
    public IReadOnlyList<string> ChunkingColumnTypes { get; init; } = [];

    /// <summary>The target's key for <c>ON CONFLICT</c>, as PostgreSQL column names.</summary>
    public IReadOnlyList<string> UniquenessColumns { get; init; } = [];

    /// <summary>Snowflake ORDER BY columns; the chunking columns when the config names none.</summary>
    public IReadOnlyList<string> SortColumns { get; init; } = [];

    public string? SourceWatermark { get; init; }

    public string? TargetWatermark { get; init; }

    /// <summary>Source column name to target column name; includes the inferred watermark pair.</summary>
    public IReadOnlyDictionary<string, string> ColumnMapping { get; init; } = new Dictionary<string, string>();

    public bool TruncateOnStart { get; init; }

    public bool InsertOnlyMode { get; init; }

    public bool DisableIndex { get; init; }

    /// <summary>Targets narrower than their source are loaded with rounded or cut values instead of refused (SFPG2110/SFPG2111).</summary>
    public bool AllowLossyConversion { get; init; }

    /// <summary>Per-table override of the global <c>parallel_threads</c>; null inherits.</summary>
    public int? ParallelThreads { get; init; }

    /// <summary>Per-table override of the global <c>batch_size</c>; null inherits.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Per-table batch size used when the table is loaded by COPY (<c>batch_size_copy_mode</c>); null inherits.</summary>
    public int? BatchSizeCopyMode { get; init; }

    /// <summary>
    /// Rows per chunk: for a table loaded by COPY the most specific <c>batch_size_copy_mode</c> or
    /// <c>batch_size</c> (table before root), otherwise the table's <c>batch_size</c>, else the root's.
    /// </summary>
    public int BatchSizeFor(MigrationConfig config, bool loadedByCopy)
    {
        ArgumentNullException.ThrowIfNull(config);
        return loadedByCopy
            ? BatchSizeCopyMode ?? BatchSize ?? config.BatchSizeCopyMode ?? config.BatchSize
            : BatchSize ?? config.BatchSize;
    }

    /// <summary>delete_missing, soft_delete_column and max_delete_ratio: what an incremental load does with target rows the source no longer has.</summary>
    public DeleteMissingSettings DeleteMissing { get; init; } = DeleteMissingSettings.Off;

    /// <summary>A chunking strategy the config insists on (<c>chunking_strategy</c>); null lets the planner choose.</summary>
    public Planning.ChunkStrategy? ChunkingStrategy { get; init; }
}
