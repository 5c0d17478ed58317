using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// Reads one entry of <c>tables[]</c>, checks it, and applies the effective-config rules: Snowflake names
/// normalised, <c>truncate_onstart</c> making upsert settings inert, the watermark pair mapping itself, and
/// <c>sort_columns</c> defaulting to <c>chunking_columns</c>.
/// </summary>
/// <remarks>
/// Which side each name is on: <c>source</c>, <c>chunking_columns</c>, <c>sort_columns</c>,
/// <c>source_watermark</c> and the keys of <c>column_mapping</c> are Snowflake names (normalised);
/// <c>target</c>, <c>uniqueness_columns</c>, <c>target_watermark</c> and the values of <c>column_mapping</c> are
/// PostgreSQL names, kept exactly as written.
/// </remarks>
internal sealed class TableBinder
{
    private readonly ConfigDocumentReader _reader;
    private readonly bool _defaultInsertOnly;
    private readonly Verification.VerifyDepth _defaultVerify;

    /// <param name="defaultInsertOnly">The root <c>insert_only_mode</c>, which a table without its own inherits.</param>
    /// <param name="defaultVerify">The source's (else the root's) <c>verify</c>, which a table without its own inherits.</param>
    public TableBinder(ConfigDocumentReader reader, bool defaultInsertOnly = false, Verification.VerifyDepth defaultVerify = VerifySetting.Default)
    {
        _reader = reader;
        _defaultInsertOnly = defaultInsertOnly;
        _defaultVerify = defaultVerify;
    }

    /// <summary>The root's create_target and schema_evolution, for tables that do not set their own.</summary>
    public TableShapeDefaults ShapeDefaults { get; init; } = TableShapeDefaults.None;

    /// <summary>The source's (or root's) <c>extract</c>, for tables that do not set their own.</summary>
    public ExtractMethod DefaultExtract { get; init; }

    public TableConfig Bind(ConfigObject table)
    {
        var enabled = table.Bool("enabled") ?? true;
        var source = table.String("source", required: true);
        var normalisedSource = source is null ? null : NormalizeSnowflakeName(_reader, source, table.PathOf("source"), "source");
        var target = table.String("target", required: true)?.Trim();
        var sourceFilter = table.String("source_filter");
        var chunkingColumns = ReadSnowflakeColumns(table, "chunking_columns");
        var chunkingTypes = ReadChunkingTypes(table);
        var uniquenessColumns = ReadTargetColumns(table, "uniqueness_columns");
        List<string>? sortColumns = ReadSnowflakeColumns(table, "sort_columns");
        var writtenSourceWatermark = NullIfBlank(table.String("source_watermark"));
        var sourceWatermark = writtenSourceWatermark is null
            ? null
            : NormalizeSnowflakeName(_reader, writtenSourceWatermark, table.PathOf("source_watermark"), "column");
        var targetWatermark = NullIfBlank(table.String("target_watermark"));
        var explicitMapping = ReadColumnMapping(table);
        var truncateOnStart = table.Bool("truncate_onstart") ?? false;
        var writtenInsertOnly = table.Bool(ConfigKeys.InsertOnlyMode);
        var insertOnly = writtenInsertOnly ?? _defaultInsertOnly;
        var disableIndex = table.Bool("disable_index") ?? false;
        var parallelThreads = table.Int("parallel_threads", ConfigLimits.MinParallelThreads, ConfigLimits.MaxParallelThreads);
        var batchSize = table.Int("batch_size", ConfigLimits.MinBatchSize, ConfigLimits.MaxBatchSize);
        var copyBatchSize = table.Int(ConfigKeys.BatchSizeCopyMode, ConfigLimits.MinBatchSize, ConfigLimits.MaxBatchSize);
        var strategy = ReadChunkingStrategy(table);
        CheckStrategyFitsKey(table, strategy, chunkingColumns, chunkingTypes);
        CheckSourceFilter(table, sourceFilter);
        CheckPostgresNames(table, target, uniquenessColumns, targetWatermark);

        CheckWatermarkPair(table, writtenSourceWatermark, targetWatermark);
        var hasWatermarks = sourceWatermark is not null && targetWatermark is not null;

        if (truncateOnStart)
        {
            // Seed rule: a truncating reload is a plain COPY, so the upsert settings simply do not apply;
            // switching modes needs no other edits. insert_only_mode would be silently meaningless, so say so
            // (only where the table writes it: the root default is meant for the tables it fits).
            if (writtenInsertOnly == true)
            {
                _reader.Warning(
                    ErrorCatalog.ConfigInertSetting,
                    table.PathOf("insert_only_mode"),
                    "insert_only_mode has no effect with truncate_onstart: the table is emptied and copied whole.",
                    "Remove insert_only_mode, or set truncate_onstart to false for incremental inserts.");
            }

            uniquenessColumns = [];
            sortColumns = null;
            sourceWatermark = null;
            targetWatermark = null;
            hasWatermarks = false;
            insertOnly = false;
        }
        else
        {
            CheckUpsertKey(table, uniquenessColumns, chunkingTypes, hasWatermarks, insertOnly);
        }

        var mapping = BuildColumnMapping(table, explicitMapping, hasWatermarks ? sourceWatermark : null, targetWatermark);
        var deleteMissing = DeleteMissingSettings.Read(_reader, table, uniquenessColumns, truncateOnStart);
        return new TableConfig
        {
            Source = normalisedSource ?? "",
            Target = target ?? "",
            Enabled = enabled,
            SourceFilter = string.IsNullOrWhiteSpace(sourceFilter) ? null : sourceFilter,
            ChunkingColumns = chunkingColumns,
            ChunkingColumnTypes = chunkingTypes,
            UniquenessColumns = uniquenessColumns,
            SortColumns = sortColumns is { Count: > 0 } ? sortColumns : chunkingColumns,
            SourceWatermark = sourceWatermark,
            TargetWatermark = targetWatermark,
            ColumnMapping = mapping,
            TruncateOnStart = truncateOnStart,
            InsertOnlyMode = insertOnly,
            DisableIndex = disableIndex,
            ParallelThreads = parallelThreads,
            BatchSize = batchSize,
            BatchSizeCopyMode = copyBatchSize,
            ChunkingStrategy = strategy,
            AllowLossyConversion = table.Bool(ConfigKeys.AllowLossyConversion) ?? false,
            References = TableReferenceBinder.Read(_reader, table),
            Verify = VerifySetting.Read(_reader, table, _defaultVerify),
            CreateTarget = table.Bool(ConfigKeys.CreateTarget) ?? ShapeDefaults.CreateTarget,
            ColumnTypes = ReadColumnTypes(table),
            TruncateNanoseconds = table.Bool(ConfigKeys.TruncateNanoseconds) ?? false,
            KeepTimezoneOffset = table.Bool(ConfigKeys.KeepTimezoneOffset) ?? false,
            SchemaEvolution = ReadSchemaEvolution(_reader, table) ?? ShapeDefaults.SchemaEvolution,
            DeleteMissing = deleteMissing,
            Extract = ExtractSetting.Read(_reader, table, DefaultExtract),
        };
    }

    private Dictionary<string, string> ReadColumnTypes(ConfigObject table)
    {
        var path = table.PathOf(ConfigKeys.ColumnTypes);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in table.StringMap(ConfigKeys.ColumnTypes) ?? [])
        {
            var column = NormalizeSnowflakeName(_reader, entry.Key, ConfigDocumentReader.Child(path, entry.Key), "column");
            if (column is null)
            {
                continue;
            }

            if (Postgres.PostgresTypeName.Parse(entry.Value) is null)
            {
                _reader.Error(
                    ErrorCatalog.ConfigColumnTypeUnknown,
                    ConfigDocumentReader.Child(path, entry.Key),
                    $"column_types gives column {column} the type '{entry.Value}', which is not one the tool creates.");
                continue;
            }

            types[column] = entry.Value;
        }

        return types;
    }

    /// <summary>The <c>schema_evolution</c> of a table or of the root; null when unset or unknown (SFPG1090).</summary>
    internal static SchemaEvolution? ReadSchemaEvolution(ConfigDocumentReader reader, ConfigObject block)
    {
        var written = block.String(ConfigKeys.SchemaEvolution);
        if (written is null)
        {
            return null;
        }

        if (SchemaEvolutionNames.Parse(written) is { } evolution)
        {
            return evolution;
        }

        reader.Error(
            ErrorCatalog.ConfigSchemaEvolutionUnknown,
            block.PathOf(ConfigKeys.SchemaEvolution),
            $"schema_evolution is '{written}'; it must be add_columns, widen or none.");
        return null;
    }

    private void CheckStrategyFitsKey(ConfigObject table, Planning.ChunkStrategy? strategy, IReadOnlyList<string> columns, IReadOnlyList<string> types)
    {
        if (strategy is null or Planning.ChunkStrategy.SingleChunk or Planning.ChunkStrategy.Offset)
        {
            return;
        }

        var name = Planning.ChunkStrategyNames.ToName(strategy.Value);
        if (columns.Count == 0)
        {
            _reader.Error(
                ErrorCatalog.ConfigInvalidValue,
                table.PathOf("chunking_strategy"),
                $"chunking_strategy '{name}' needs chunking_columns, but none are configured.",
                "Add chunking_columns with their chunking_column_types, or remove chunking_strategy.");
            return;
        }

        var temporal = types.Count > 0 && ChunkingColumnTypes.FamilyOf(types[0]) == ChunkKeyFamily.Temporal;
        if (strategy is Planning.ChunkStrategy.DateRange or Planning.ChunkStrategy.DateRangeWithSubChunks && !temporal)
        {
            _reader.Error(
                ErrorCatalog.ConfigInvalidValue,
                table.PathOf("chunking_strategy"),
                $"chunking_strategy '{name}' needs a date or timestamp chunking column, but '{columns[0]}' is typed '{(types.Count > 0 ? types[0] : "(none)")}'.",
                "Chunk by a date or timestamp column, or use key_range.");
        }
    }

    /// <summary>A filter that could escape its parentheses or swallow the SQL after it never reaches Snowflake.</summary>
    private void CheckSourceFilter(ConfigObject table, string? sourceFilter)
    {
        var path = table.PathOf("source_filter");
        if (string.IsNullOrWhiteSpace(sourceFilter) || _reader.IsUnresolved(path))
        {
            return;
        }

        foreach (var problem in SourceFilterSyntax.Check(sourceFilter))
        {
            _reader.Error(problem.Error, path, problem.Message);
        }
    }

    private void CheckPostgresNames(
        ConfigObject table,
        string? target,
        List<string> uniquenessColumns,
        string? targetWatermark)
    {
        CheckPostgresNameLength(_reader, target, table.PathOf("target"), "target table");
        for (var i = 0; i < uniquenessColumns.Count; i++)
        {
            CheckPostgresNameLength(_reader, uniquenessColumns[i], ConfigDocumentReader.Item(table.PathOf("uniqueness_columns"), i), "column");
        }

        CheckPostgresNameLength(_reader, targetWatermark, table.PathOf("target_watermark"), "column");
    }

    /// <summary>Reports a PostgreSQL name PostgreSQL would cut to 63 bytes, so it would name another table or column.</summary>
    public static void CheckPostgresNameLength(ConfigDocumentReader reader, string? name, string path, string what)
    {
        if (name is null || !PostgresNameLength.IsTooLong(name))
        {
            return;
        }

        reader.Error(
            ErrorCatalog.ConfigPostgresNameTooLong,
            path,
            $"{what} '{name}' is {PostgresNameLength.ByteCount(name)} bytes long; PostgreSQL keeps only its first {PostgresNameLength.MaxBytes} bytes ('{PostgresNameLength.Truncate(name)}').");
    }

    /// <summary><c>chunking_strategy</c>: <c>auto</c> (or absent) lets the planner choose; a strategy name forces it.</summary>
    private Planning.ChunkStrategy? ReadChunkingStrategy(ConfigObject table)
    {
        var written = NullIfBlank(table.String("chunking_strategy"));
        if (written is null || string.Equals(written, "auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (Planning.ChunkStrategyNames.TryParse(written, out var strategy))
        {
            return strategy;
        }

        var names = Enum.GetValues<Planning.ChunkStrategy>().Select(Planning.ChunkStrategyNames.ToName).Prepend("auto").ToList();
        var suggestion = NameSuggestion.Closest(written.ToLowerInvariant(), names);
        _reader.Error(
            ErrorCatalog.ConfigInvalidValue,
            table.PathOf("chunking_strategy"),
            $"'{written}' is not a chunking strategy{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
            $"Use one of: {string.Join(", ", names)}.");
        return null;
    }

    /// <summary>Normalises a Snowflake name written at <paramref name="path"/>, reporting malformed and ambiguous ones.</summary>
    public static string? NormalizeSnowflakeName(ConfigDocumentReader reader, string written, string path, string what)
    {
        if (!SnowflakeName.TryNormalize(written, out var normalized, out var mixedCase))
        {
            reader.Error(
                ErrorCatalog.ConfigInvalidIdentifier,
                path,
                $"{what} '{written}' is not a well-formed name: a quoted name must start and end with a double quote and double any quote inside.");
            return null;
        }

        if (mixedCase)
        {
            reader.Warning(
                ErrorCatalog.ConfigAmbiguousCase,
                path,
                $"{what} '{written.Trim()}' is unquoted, so Snowflake reads it as {normalized}.",
                $"If it was created with quotes in this case, write \"\\\"{written.Trim()}\\\"\"; to silence this, write {normalized}.");
        }

        return normalized;
    }

    private List<string> ReadSnowflakeColumns(ConfigObject table, string key)
    {
        var written = table.StringList(key);
        if (written is null)
        {
            return [];
        }

        var path = table.PathOf(key);
        var columns = new List<string>();
        for (var i = 0; i < written.Count; i++)
        {
            var column = NormalizeSnowflakeName(_reader, written[i], ConfigDocumentReader.Item(path, i), "column");
            if (column is not null)
            {
                columns.Add(column);
            }
        }

        ReportDuplicates(path, columns);
        return columns;
    }

    private List<string> ReadTargetColumns(ConfigObject table, string key)
    {
        var columns = table.StringList(key)?.Select(c => c.Trim()).ToList() ?? [];
        ReportDuplicates(table.PathOf(key), columns);
        return columns;
    }

    private void ReportDuplicates(string path, List<string> columns)
    {
        foreach (var duplicate in columns.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            _reader.Error(
                ErrorCatalog.ConfigDuplicateColumn,
                ConfigDocumentReader.Item(path, columns.LastIndexOf(duplicate.Key)),
                $"column '{duplicate.Key}' is listed more than once.");
        }
    }

    private List<string> ReadChunkingTypes(ConfigObject table)
    {
        var path = table.PathOf("chunking_column_types");
        var written = table.StringList("chunking_column_types") ?? [];
        var types = new List<string>();
        for (var i = 0; i < written.Count; i++)
        {
            var type = written[i].Trim().ToLowerInvariant();
            if (ChunkingColumnTypes.FamilyOf(type) is null)
            {
                var suggestion = NameSuggestion.Closest(type, ChunkingColumnTypes.Supported);
                _reader.Error(
                    ErrorCatalog.ConfigChunkingTypeUnsupported,
                    ConfigDocumentReader.Item(path, i),
                    $"'{written[i]}' is not a supported chunking type{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}",
                    $"Use one of: {string.Join(", ", ChunkingColumnTypes.Supported)}.");
            }

            types.Add(type);
        }

        // Compare the lists as written: items already reported as bad must not also count as a mismatch.
        var columnCount = table.ArrayLength("chunking_columns");
        var typeCount = table.ArrayLength("chunking_column_types");
        if (columnCount is not null && typeCount is not null && columnCount != typeCount)
        {
            _reader.Error(
                ErrorCatalog.ConfigChunkingTypesMismatch,
                path,
                $"chunking_columns has {columnCount} column(s) but chunking_column_types has {typeCount} type(s).",
                columnCount > typeCount
                    ? "Add a type (int, uuid, date, timestamp, varchar, ...) for each chunking column, in the same order."
                    : "Remove the extra types, or add the chunking columns they belong to.");
        }

        return types;
    }

    private void CheckWatermarkPair(ConfigObject table, string? sourceWatermark, string? targetWatermark)
    {
        if (_reader.IsUnresolved(table.PathOf("source_watermark")) || _reader.IsUnresolved(table.PathOf("target_watermark")))
        {
            return;
        }

        if (sourceWatermark is not null && targetWatermark is null)
        {
            _reader.Error(
                ErrorCatalog.ConfigWatermarkPairIncomplete,
                table.PathOf("target_watermark"),
                "source_watermark is set but target_watermark is not.",
                $"Set target_watermark to the PostgreSQL column that receives {sourceWatermark} (the same name when it is not renamed).");
        }
        else if (targetWatermark is not null && sourceWatermark is null)
        {
            _reader.Error(
                ErrorCatalog.ConfigWatermarkPairIncomplete,
                table.PathOf("source_watermark"),
                "target_watermark is set but source_watermark is not.",
                $"Set source_watermark to the Snowflake column that feeds {targetWatermark}.");
        }
    }

    private void CheckUpsertKey(
        ConfigObject table,
        List<string> uniquenessColumns,
        List<string> chunkingTypes,
        bool hasWatermarks,
        bool insertOnly)
    {
        var path = table.PathOf("uniqueness_columns");
        if (uniquenessColumns.Count > 0 || _reader.IsUnresolved(path))
        {
            return;
        }

        var dateChunked = chunkingTypes.Any(t => ChunkingColumnTypes.FamilyOf(t) == ChunkKeyFamily.Temporal);
        if (insertOnly)
        {
            // ON CONFLICT DO NOTHING needs no conflict target, but only the target's own constraints stop duplicates.
            _reader.Warning(
                ErrorCatalog.ConfigNoReloadKey,
                path,
                "insert_only_mode without uniqueness_columns skips only rows that break a unique constraint of the target table; without one, a re-run inserts duplicates.",
                "Set uniqueness_columns to the target's primary or unique key.");
        }
        else if (hasWatermarks)
        {
            _reader.Error(
                ErrorCatalog.ConfigUpsertWithoutUniqueness,
                path,
                "source_watermark/target_watermark make this an incremental upsert (INSERT ... ON CONFLICT DO UPDATE), which needs uniqueness_columns.");
        }
        else if (dateChunked)
        {
            _reader.Error(
                ErrorCatalog.ConfigUpsertWithoutUniqueness,
                path,
                "date/timestamp chunking always upserts (one key can appear in several date chunks), which needs uniqueness_columns.");
        }
        else
        {
            _reader.Warning(
                ErrorCatalog.ConfigNoReloadKey,
                path,
                "neither truncate_onstart nor uniqueness_columns is set: the first load into an empty table works, but a later run into the filled table cannot upsert.");
        }
    }

    private List<KeyValuePair<string, string>> ReadColumnMapping(ConfigObject table)
    {
        var path = table.PathOf("column_mapping");
        var mapping = new List<KeyValuePair<string, string>>();
        foreach (var entry in table.StringMap("column_mapping") ?? [])
        {
            var source = NormalizeSnowflakeName(_reader, entry.Key, ConfigDocumentReader.Child(path, entry.Key), "column");
            if (source is null)
            {
                continue;
            }

            if (mapping.Exists(m => m.Key == source))
            {
                _reader.Error(
                    ErrorCatalog.ConfigDuplicateKey,
                    ConfigDocumentReader.Child(path, entry.Key),
                    $"'{entry.Key}' names the same Snowflake column ({source}) as another entry.");
                continue;
            }

            CheckPostgresNameLength(_reader, entry.Value.Trim(), ConfigDocumentReader.Child(path, entry.Key), "column");
            var sameTarget = mapping.Find(m => m.Value == entry.Value.Trim());
            if (sameTarget.Key is not null)
            {
                _reader.Error(
                    ErrorCatalog.ConfigColumnMappingSameTarget,
                    ConfigDocumentReader.Child(path, entry.Key),
                    $"column_mapping sends both {sameTarget.Key} and {source} to target column '{sameTarget.Value}'; only one of them could fill it.");
                continue;
            }

            mapping.Add(new KeyValuePair<string, string>(source, entry.Value.Trim()));
        }

        return mapping;
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private Dictionary<string, string> BuildColumnMapping(
        ConfigObject table,
        List<KeyValuePair<string, string>> explicitMapping,
        string? sourceWatermark,
        string? targetWatermark)
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, target) in explicitMapping)
        {
            mapping[source] = target;
        }

        var intoWatermark = explicitMapping.Find(m => m.Value == targetWatermark && m.Key != sourceWatermark);
        if (sourceWatermark is not null && intoWatermark.Key is not null)
        {
            _reader.Error(
                ErrorCatalog.ConfigColumnMappingSameTarget,
                ConfigDocumentReader.Child(table.PathOf("column_mapping"), intoWatermark.Key),
                $"column_mapping sends {intoWatermark.Key} to '{targetWatermark}', which the watermark pair fills from {sourceWatermark}.");
            return mapping;
        }

        // Seed rule: a renamed watermark maps itself, so the target watermark is never left NULL.
        if (sourceWatermark is null || targetWatermark is null || sourceWatermark == targetWatermark)
        {
            return mapping;
        }

        if (mapping.TryGetValue(sourceWatermark, out var mapped) && mapped != targetWatermark)
        {
            _reader.Error(
                ErrorCatalog.ConfigColumnMappingConflict,
                ConfigDocumentReader.Child(table.PathOf("column_mapping"), explicitMapping.First(m => m.Key == sourceWatermark).Key),
                $"column_mapping sends {sourceWatermark} to '{mapped}', but the watermark pair sends it to '{targetWatermark}'.");
            return mapping;
        }

        mapping[sourceWatermark] = targetWatermark;
        return mapping;
    }
}
