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

    /// <summary>How the table is compared with its source after a load (<c>verify</c>; table, source, then root; counts by default).</summary>
    public Verification.VerifyDepth Verify { get; init; } = VerifySetting.Default;

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

    /// <summary>Create a missing target table (and its schema) from Snowflake's description before planning (<c>create_target</c>, default false).</summary>
    public bool CreateTarget { get; init; }

    /// <summary>How the rows leave Snowflake (<c>extract</c>: <c>sql_api</c>, the default, or <c>unload</c> through the config's stage).</summary>
    public ExtractMethod Extract { get; init; }

    /// <summary>Source column (Snowflake name) to the PostgreSQL type it is created as, instead of the type contract's.</summary>
    public IReadOnlyDictionary<string, string> ColumnTypes { get; init; } = new Dictionary<string, string>();

    /// <summary>Times and timestamps with more than six fraction digits may be created as microsecond columns, truncating the rest.</summary>
    public bool TruncateNanoseconds { get; init; }

    /// <summary>A created TIMESTAMP_TZ column gets a companion <c>smallint</c> column (<see cref="Postgres.TimezoneOffsetColumn"/>) holding each value's original offset in minutes.</summary>
    public bool KeepTimezoneOffset { get; init; }

    /// <summary>What a run may change in an existing target table before loading.</summary>
    public SchemaEvolution SchemaEvolution { get; init; }

    /// <summary>delete_missing, soft_delete_column and max_delete_ratio: what an incremental load does with target rows the source no longer has.</summary>
    public DeleteMissingSettings DeleteMissing { get; init; } = DeleteMissingSettings.Off;

    /// <summary>A chunking strategy the config insists on (<c>chunking_strategy</c>); null lets the planner choose.</summary>
    public Planning.ChunkStrategy? ChunkingStrategy { get; init; }

    /// <summary>Relationships to other tables of the source (<c>references</c>), checked by the integrity check only.</summary>
    public IReadOnlyList<TableReference> References { get; init; } = [];
}
