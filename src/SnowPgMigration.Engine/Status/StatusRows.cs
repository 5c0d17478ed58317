using Npgsql;

namespace SnowPgMigration.Engine.Status;

/// <summary>The select lists of the status tables and the mapping of their rows to records.</summary>
internal static class StatusRows
{
    public const string RunColumns = """
        r.run_id, r.source_name, r.config_hash, r.status, r.started_at, r.completed_at, r.heartbeat_at,
        now() - r.heartbeat_at AS heartbeat_age, r.host_name, r.process_id, r.worker_info, r.tool_version,
        r.tables_total, r.tables_completed, r.tables_failed, r.rows_expected, r.rows_copied, r.error, r.stop_reason,
        r.owner_token, r.config_canonical::text AS config_canonical
        """;

    public const string ChunkColumns = """
        c.run_id, c.table_name, c.chunk_id, c.strategy, c.predicate, c.bounds::text AS bounds, c.expected_rows,
        c.rows_copied, c.checksum, c.status, c.attempts, c.worker_id, c.heartbeat_at,
        now() - c.heartbeat_at AS heartbeat_age, c.error, c.error_history::text AS error_history,
        c.started_at, c.completed_at, c.replace_rows, c.next_attempt_at
        """;

    /// <summary>Table status with chunk counts; needs <c>FROM migration_table_status t</c> and <see cref="TableGroupBy"/>.</summary>
    public const string TableColumns = """
        t.run_id, t.table_name, t.source_table, t.target_schema, t.load_method, t.strategy, t.status,
        t.source_row_count, t.target_row_count, t.started_at, t.completed_at, t.error, t.verification, t.verified_at, t.planned_at,
        count(c.chunk_id) FILTER (WHERE c.status = 'pending')::int AS chunks_pending,
        count(c.chunk_id) FILTER (WHERE c.status = 'in_progress')::int AS chunks_in_progress,
        count(c.chunk_id) FILTER (WHERE c.status = 'completed')::int AS chunks_completed,
        count(c.chunk_id) FILTER (WHERE c.status = 'failed')::int AS chunks_failed,
        count(c.chunk_id) FILTER (WHERE c.status = 'incomplete')::int AS chunks_incomplete,
        coalesce(sum(c.rows_copied) FILTER (WHERE c.status = 'completed'), 0)::bigint AS rows_copied,
        coalesce(t.source_row_count, sum(c.expected_rows))::bigint AS rows_expected
        """;

    public const string TableFrom = """
        migration_status.migration_table_status t
        LEFT JOIN migration_status.migration_chunk_status c ON c.run_id = t.run_id AND c.table_name = t.table_name
        """;

    public const string TableGroupBy = "GROUP BY t.run_id, t.table_name";

    public const string IndexBackupColumns = """
        b.run_id, b.target_schema, b.table_name, b.object_kind, b.object_name, b.definition, b.saved_at, b.dropped_at, b.restored_at, b.restore_error
        """;

    public static RunRecord ReadRun(NpgsqlDataReader row) => new()
    {
        RunId = row.GetGuid(row.GetOrdinal("run_id")),
        SourceName = Text(row, "source_name")!,
        ConfigHash = Text(row, "config_hash")!,
        Status = StatusText.ParseRunStatus(Text(row, "status")!),
        StartedAt = Time(row, "started_at")!.Value,
        CompletedAt = Time(row, "completed_at"),
        HeartbeatAt = Time(row, "heartbeat_at")!.Value,
        HeartbeatAge = Interval(row, "heartbeat_age") ?? TimeSpan.Zero,
        HostName = Text(row, "host_name"),
        ProcessId = Nullable<int>(row, "process_id"),
        WorkerInfo = Text(row, "worker_info"),
        ToolVersion = Text(row, "tool_version"),
        TablesTotal = Nullable<int>(row, "tables_total") ?? 0,
        TablesCompleted = Nullable<int>(row, "tables_completed") ?? 0,
        TablesFailed = Nullable<int>(row, "tables_failed") ?? 0,
        RowsExpected = Nullable<long>(row, "rows_expected"),
        RowsCopied = Nullable<long>(row, "rows_copied") ?? 0,
        Error = Text(row, "error"),
        StopReason = Text(row, "stop_reason"),
        OwnerToken = Nullable<Guid>(row, "owner_token"),
        ConfigCanonical = Text(row, "config_canonical"),
    };

    public static ChunkRecord ReadChunk(NpgsqlDataReader row) => new()
    {
        RunId = row.GetGuid(row.GetOrdinal("run_id")),
        Table = Text(row, "table_name")!,
        ChunkId = row.GetInt32(row.GetOrdinal("chunk_id")),
        Strategy = Text(row, "strategy")!,
        Predicate = Text(row, "predicate"),
        BoundsJson = Text(row, "bounds"),
        ExpectedRows = Nullable<long>(row, "expected_rows"),
        RowsCopied = Nullable<long>(row, "rows_copied") ?? 0,
        Checksum = Text(row, "checksum"),
        Status = StatusText.ParseProgressStatus(Text(row, "status")!),
        Attempts = Nullable<int>(row, "attempts") ?? 0,
        WorkerId = Text(row, "worker_id"),
        HeartbeatAt = Time(row, "heartbeat_at"),
        HeartbeatAge = Interval(row, "heartbeat_age"),
        Error = Text(row, "error"),
        ErrorHistoryJson = Text(row, "error_history") ?? "[]",
        StartedAt = Time(row, "started_at"),
        CompletedAt = Time(row, "completed_at"),
        ReplaceRows = Nullable<bool>(row, "replace_rows") ?? false,
        NextAttemptAt = Time(row, "next_attempt_at"),
    };

    public static TableStatusRecord ReadTable(NpgsqlDataReader row) => new()
    {
        RunId = row.GetGuid(row.GetOrdinal("run_id")),
        Table = Text(row, "table_name")!,
        SourceTable = Text(row, "source_table")!,
        TargetSchema = Text(row, "target_schema")!,
        LoadMethod = Text(row, "load_method"),
        Strategy = Text(row, "strategy"),
        Status = StatusText.ParseProgressStatus(Text(row, "status")!),
        SourceRowCount = Nullable<long>(row, "source_row_count"),
        TargetRowCount = Nullable<long>(row, "target_row_count"),
        RowsCopied = Nullable<long>(row, "rows_copied") ?? 0,
        RowsExpected = Nullable<long>(row, "rows_expected"),
        Chunks = new StatusCounts(
            Nullable<int>(row, "chunks_pending") ?? 0,
            Nullable<int>(row, "chunks_in_progress") ?? 0,
            Nullable<int>(row, "chunks_completed") ?? 0,
            Nullable<int>(row, "chunks_failed") ?? 0,
            Nullable<int>(row, "chunks_incomplete") ?? 0),
        StartedAt = Time(row, "started_at"),
        CompletedAt = Time(row, "completed_at"),
        Error = Text(row, "error"),
        Verification = Text(row, "verification"),
        VerifiedAt = Time(row, "verified_at"),
        PlannedAt = Time(row, "planned_at"),
    };

    public static IndexBackupRecord ReadIndexBackup(NpgsqlDataReader row) => new()
    {
        RunId = row.GetGuid(row.GetOrdinal("run_id")),
        TargetSchema = Text(row, "target_schema")!,
        Table = Text(row, "table_name")!,
        Kind = StatusText.ParseIndexObjectKind(Text(row, "object_kind")!),
        Name = Text(row, "object_name")!,
        Definition = Text(row, "definition")!,
        SavedAt = Time(row, "saved_at")!.Value,
        DroppedAt = Time(row, "dropped_at"),
        RestoredAt = Time(row, "restored_at"),
        RestoreError = Text(row, "restore_error"),
    };

    public static string? Text(NpgsqlDataReader row, string column)
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetString(ordinal);
    }

    public static T? Nullable<T>(NpgsqlDataReader row, string column)
        where T : struct
    {
        var ordinal = row.GetOrdinal(column);
        return row.IsDBNull(ordinal) ? null : row.GetFieldValue<T>(ordinal);
    }

    public static DateTimeOffset? Time(NpgsqlDataReader row, string column) => Nullable<DateTimeOffset>(row, column);

    public static TimeSpan? Interval(NpgsqlDataReader row, string column) => Nullable<TimeSpan>(row, column);
}
