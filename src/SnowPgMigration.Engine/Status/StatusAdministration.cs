using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// What an administrator does with the status schema (Get-SfPgRun, Get-SfPgRunStatus,
/// Get-SfPgTableStatus, Get-SfPgChunk, Reset-SfPgChunk, Stop-SfPgRun, Remove-SfPgRun): list, summarise,
/// and repair runs, refusing repairs that would lose or duplicate rows.
/// </summary>
public sealed class StatusAdministration
{
    private readonly StatusDatabase _database;

    internal StatusAdministration(StatusDatabase database) => _database = database;

    /// <summary>Runs matching the query, newest first.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var runs = await _database.QueryAsync(
            $"""
            SELECT {StatusRows.RunColumns} FROM migration_status.migration_runs r
            WHERE (@run_id IS NULL OR r.run_id = @run_id)
              AND (@source IS NULL OR r.source_name = @source)
              AND (@status IS NULL OR r.status = @status)
              AND (@stale_after IS NULL OR r.status = 'running')
            ORDER BY r.started_at DESC, r.run_id
            LIMIT (CASE WHEN @stale_after IS NULL THEN @limit END)
            """,
            p => p.WithUuid("run_id", query.RunId)
                .WithText("source", query.Source)
                .WithText("status", query.Status is { } s ? StatusText.ToText(s) : null)
                .WithInterval("stale_after", query.StaleAfter)
                .WithInt("limit", query.Last),
            row => StatusRows.ReadRun(row),
            cancellationToken).ConfigureAwait(false);
        // Whether the owner is gone takes this host's process table as well as the heartbeat: decided here, not in SQL.
        return runs
            .Select(r => r with { OwnerGone = RunLiveness.IsOwnerGone(r, query.StaleAfter ?? query.OwnerGoneAfter) })
            .Where(r => query.StaleAfter is null || r.OwnerGone)
            .Take(query.Last ?? int.MaxValue)
            .ToList();
    }

    /// <summary>One run's summary: tables and chunks by status, rows, rows/s, elapsed, estimated time left.</summary>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.RunNotFound"/>.</exception>
    public async Task<RunSummary> GetRunSummaryAsync(Guid runId, CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var runs = await StatusDatabase.QueryAsync(
            connection, null,
            $"""
            SELECT {StatusRows.RunColumns}, coalesce(r.completed_at, now()) - r.started_at AS elapsed
            FROM migration_status.migration_runs r WHERE r.run_id = @run_id
            """,
            p => p.WithUuid("run_id", runId),
            row => (Run: StatusRows.ReadRun(row), Elapsed: StatusRows.Interval(row, "elapsed") ?? TimeSpan.Zero),
            cancellationToken).ConfigureAwait(false);
        if (runs.Count == 0)
        {
            throw RunStore.NotFound(runId);
        }

        var (run, elapsed) = runs[0];
        var tables = await CountByStatusAsync(connection, "migration_table_status", runId, cancellationToken).ConfigureAwait(false);
        var chunks = await CountByStatusAsync(connection, "migration_chunk_status", runId, cancellationToken).ConfigureAwait(false);
        var rows = await StatusDatabase.QueryAsync(
            connection, null,
            """
            SELECT
                (SELECT coalesce(sum(c.rows_copied), 0)::bigint FROM migration_status.migration_chunk_status c
                 WHERE c.run_id = @run_id AND c.status = 'completed') AS rows_copied,
                (SELECT sum(coalesce(t.source_row_count,
                            (SELECT sum(c.expected_rows) FROM migration_status.migration_chunk_status c
                             WHERE c.run_id = t.run_id AND c.table_name = t.table_name)))::bigint
                 FROM migration_status.migration_table_status t WHERE t.run_id = @run_id) AS rows_expected
            """,
            p => p.WithUuid("run_id", runId),
            row => (Copied: row.GetInt64(0), Expected: StatusRows.Nullable<long>(row, "rows_expected")),
            cancellationToken).ConfigureAwait(false);
        var (copied, expected) = rows[0];

        double? rate = elapsed.TotalSeconds >= 1 && copied > 0 ? copied / elapsed.TotalSeconds : null;
        TimeSpan? timeLeft = null;
        if (run.Status == RunStatus.Running && rate is > 0 && expected is { } total)
        {
            timeLeft = TimeSpan.FromSeconds(Math.Max(0, total - copied) / rate.Value);
        }

        return new RunSummary
        {
            Run = run,
            Tables = tables,
            Chunks = chunks,
            RowsCopied = copied,
            RowsExpected = expected,
            Elapsed = elapsed,
            RowsPerSecond = rate,
            EstimatedTimeLeft = timeLeft,
        };
    }

    /// <summary>Table statuses with their chunk progress and verification, newest runs first.</summary>
    public async Task<IReadOnlyList<TableStatusRecord>> ListTablesAsync(TableQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await _database.QueryAsync(
            $"""
            SELECT {StatusRows.TableColumns}
            FROM {StatusRows.TableFrom}
            JOIN migration_status.migration_runs r ON r.run_id = t.run_id
            WHERE (@run_id IS NULL OR t.run_id = @run_id)
              AND (@table IS NULL OR t.table_name = @table OR t.source_table = @table)
              AND (@status IS NULL OR t.status = @status)
            {StatusRows.TableGroupBy}, r.started_at
            ORDER BY r.started_at DESC, t.run_id, t.table_name
            LIMIT @limit
            """,
            p => p.WithUuid("run_id", query.RunId)
                .WithText("table", query.Table)
                .WithText("status", query.Status is { } s ? StatusText.ToText(s) : null)
                .WithInt("limit", query.Limit),
            StatusRows.ReadTable,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Chunks matching the query: newest runs first, then by table and chunk id.</summary>
    public async Task<IReadOnlyList<ChunkRecord>> ListChunksAsync(ChunkQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await _database.QueryAsync(
            $"""
            SELECT {StatusRows.ChunkColumns}
            FROM migration_status.migration_chunk_status c
            JOIN migration_status.migration_table_status t ON t.run_id = c.run_id AND t.table_name = c.table_name
            JOIN migration_status.migration_runs r ON r.run_id = c.run_id
            WHERE (@run_id IS NULL OR c.run_id = @run_id)
              AND (@table IS NULL OR c.table_name = @table OR t.source_table = @table)
              AND (@status IS NULL OR c.status = @status)
              AND (@stale_after IS NULL OR (c.status = 'in_progress' AND c.heartbeat_at < now() - @stale_after))
            ORDER BY r.started_at DESC, c.run_id, c.table_name, c.chunk_id
            LIMIT @limit
            """,
            p => p.WithUuid("run_id", query.RunId)
                .WithText("table", query.Table)
                .WithText("status", query.Status is { } s ? StatusText.ToText(s) : null)
                .WithInterval("stale_after", query.StaleAfter)
                .WithInt("limit", query.Limit),
            StatusRows.ReadChunk,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts a chunk back to <c>pending</c>: attempts cleared, claim dropped, and the reset (with the
    /// previous status, attempts and error) appended to its error history. A chunk already pending with
    /// no attempts is left alone. A <c>completed</c> chunk is refused unless <paramref name="force"/>:
    /// its rows are in the target; with force it is marked to replace them (its next load deletes the rows
    /// of its range in the same transaction), and an offset page, whose rows cannot be found again, is
    /// refused. Resetting a claimed chunk is safe: its worker can no longer commit it.
    /// When a reset reopens a completed table or run, they become <c>pending</c> / <c>partial</c> so a
    /// resume picks the chunk up.
    /// </summary>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.ChunkNotFound"/>, <see cref="ErrorCatalog.ChunkResetRefused"/>, <see cref="ErrorCatalog.ChunkReloadRangeUnavailable"/>.
    /// </exception>
    public async Task<ChunkResetResult> ResetChunkAsync(
        Guid runId, string table, int chunkId, bool force, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        void BindKey(NpgsqlParameterCollection p) => p.WithUuid("run_id", runId).WithText("table", table).WithInt("chunk_id", chunkId);

        var found = await StatusDatabase.QueryAsync(
            connection, transaction,
            $"""
            SELECT {StatusRows.ChunkColumns} FROM migration_status.migration_chunk_status c
            WHERE c.run_id = @run_id AND c.table_name = @table AND c.chunk_id = @chunk_id
            FOR UPDATE
            """,
            BindKey, StatusRows.ReadChunk, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.ChunkNotFound,
                $"Run {runId} has no chunk {chunkId.ToString(CultureInfo.InvariantCulture)} in table '{table}'.",
                target: $"{table}#{chunkId.ToString(CultureInfo.InvariantCulture)}",
                recommendedAction: null);
        }

        var before = found[0];
        if (before.Status == ProgressStatus.Pending && before.Attempts == 0)
        {
            return new ChunkResetResult(before, before, Changed: false);
        }

        if (before.Status == ProgressStatus.Completed && !force)
        {
            throw new SfPgException(
                ErrorCatalog.ChunkResetRefused,
                $"Chunk {chunkId.ToString(CultureInfo.InvariantCulture)} of table '{table}' (run {runId}) is completed with " +
                $"{before.RowsCopied.ToString(CultureInfo.InvariantCulture)} rows already loaded; it is not reset without force.",
                target: $"{table}#{chunkId.ToString(CultureInfo.InvariantCulture)}",
                recommendedAction: null);
        }

        if (before.Status == ProgressStatus.Completed && before.Strategy == ChunkStrategy.Offset.ToName())
        {
            // An offset page is a position in an order, not a range of values: its earlier rows cannot be found on the target.
            throw new SfPgException(
                ErrorCatalog.ChunkReloadRangeUnavailable,
                $"Chunk {chunkId.ToString(CultureInfo.InvariantCulture)} of table '{table}' (run {runId}) is a completed offset page with " +
                $"{before.RowsCopied.ToString(CultureInfo.InvariantCulture)} rows loaded; its rows cannot be told apart on the target, so re-loading it would duplicate them.",
                target: $"{table}#{chunkId.ToString(CultureInfo.InvariantCulture)}",
                recommendedAction: null);
        }

        var after = (await StatusDatabase.QueryAsync(
            connection, transaction,
            $"""
            UPDATE migration_status.migration_chunk_status c
            SET status = 'pending', attempts = 0, worker_id = NULL, claim_id = NULL, heartbeat_at = NULL,
                started_at = NULL, completed_at = NULL, rows_copied = 0, checksum = NULL, error = NULL,
                replace_rows = c.replace_rows OR c.status = 'completed', next_attempt_at = NULL,
                error_history = c.error_history || jsonb_build_array(jsonb_build_object(
                    'at', now(), 'event', 'reset', 'previous_status', c.status, 'attempts', c.attempts,
                    'worker_id', c.worker_id, 'rows_copied', c.rows_copied, 'error', c.error))
            WHERE c.run_id = @run_id AND c.table_name = @table AND c.chunk_id = @chunk_id
            RETURNING {StatusRows.ChunkColumns}
            """,
            BindKey, StatusRows.ReadChunk, cancellationToken).ConfigureAwait(false))[0];

        await StatusDatabase.ExecuteAsync(
            connection, transaction,
            """
            UPDATE migration_status.migration_table_status
            SET status = 'pending', completed_at = NULL, updated_at = now()
            WHERE run_id = @run_id AND table_name = @table AND status = 'completed'
            """,
            BindKey, cancellationToken).ConfigureAwait(false);
        var reopened = await StatusDatabase.ExecuteAsync(
            connection, transaction,
            """
            UPDATE migration_status.migration_runs
            SET status = 'partial', stop_reason = 'reopened: chunk ' || @chunk_id || ' of ' || @table || ' was reset'
            WHERE run_id = @run_id AND status = 'completed'
            """,
            BindKey, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ChunkResetResult(before, after, Changed: true) { RunStatusChangedTo = reopened == 1 ? RunStatus.Partial : null };
    }

    /// <summary>
    /// Stops a run with a recorded reason. <see cref="RunStopMode.Cancel"/> marks it <c>cancelled</c>
    /// (resumable; a live process sees it at its next heartbeat and claims nothing more);
    /// <see cref="RunStopMode.ForceComplete"/> marks it <c>completed</c> only when every chunk of every
    /// table is completed and no table failed verification.
    /// </summary>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.RunNotFound"/>; <see cref="ErrorCatalog.RunStopRefused"/> when cancelling a
    /// completed run; <see cref="ErrorCatalog.RunForceCompleteRefused"/> with the counts that stand in the way.
    /// </exception>
    public async Task<RunStopResult> StopRunAsync(Guid runId, string? reason, RunStopMode mode, CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var runs = await StatusDatabase.QueryAsync(
            connection, transaction,
            $"SELECT {StatusRows.RunColumns} FROM migration_status.migration_runs r WHERE r.run_id = @run_id FOR UPDATE",
            p => p.WithUuid("run_id", runId), StatusRows.ReadRun, cancellationToken).ConfigureAwait(false);
        if (runs.Count == 0)
        {
            throw RunStore.NotFound(runId);
        }

        var before = runs[0];
        RunStatus target;
        if (mode == RunStopMode.Cancel)
        {
            if (before.Status == RunStatus.Completed)
            {
                throw new SfPgException(
                    ErrorCatalog.RunStopRefused,
                    $"Run {runId} of source '{before.SourceName}' completed at {before.CompletedAt:u}; it cannot be cancelled.",
                    target: runId.ToString(), recommendedAction: null);
            }

            if (before.Status == RunStatus.Cancelled)
            {
                return new RunStopResult(before.Status, before, Changed: false);
            }

            target = RunStatus.Cancelled;
        }
        else
        {
            if (before.Status == RunStatus.Completed)
            {
                return new RunStopResult(before.Status, before, Changed: false);
            }

            await EnsureEveryChunkCompletedAsync(connection, transaction, before, cancellationToken).ConfigureAwait(false);
            target = RunStatus.Completed;
        }

        var after = (await StatusDatabase.QueryAsync(
            connection, transaction,
            $"""
            UPDATE migration_status.migration_runs r
            SET status = @status, completed_at = now(), stop_reason = @reason,
                {RunStore.CounterAssignments}
            WHERE r.run_id = @run_id
            RETURNING {StatusRows.RunColumns}
            """,
            p => p.WithUuid("run_id", runId)
                .WithText("status", StatusText.ToText(target))
                .WithText("reason", string.IsNullOrWhiteSpace(reason) ? DefaultReason(mode) : StatusDatabase.Clip(reason)),
            StatusRows.ReadRun, cancellationToken).ConfigureAwait(false))[0];
        if (target == RunStatus.Cancelled)
        {
            // A stopped run holds no claims: its chunks go back to pending for whoever resumes it, and a worker
            // still running can no longer commit (its claim id is gone), so nothing lands after the stop.
            await StatusDatabase.ExecuteAsync(
                connection, transaction,
                """
                UPDATE migration_status.migration_chunk_status c
                SET status = 'pending', worker_id = NULL, claim_id = NULL,
                    error_history = c.error_history || jsonb_build_array(jsonb_build_object(
                        'at', now(), 'event', 'released_by_stop', 'attempt', c.attempts, 'worker_id', c.worker_id))
                WHERE c.run_id = @run_id AND c.status = 'in_progress'
                """,
                p => p.WithUuid("run_id", runId), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RunStopResult(before.Status, after, Changed: true);
    }

    /// <summary>Deletes old run history (tables, chunks and index backups go with their runs); see <see cref="RunRemovalRequest"/>.</summary>
    public async Task<RunRemovalResult> RemoveRunsAsync(RunRemovalRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.OlderThan, TimeSpan.Zero);
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var candidates = await StatusDatabase.QueryAsync(
            connection, transaction,
            """
            SELECT r.run_id,
                   EXISTS (SELECT 1 FROM migration_status.migration_index_backup b
                           WHERE b.run_id = r.run_id AND b.dropped_at IS NOT NULL AND b.restored_at IS NULL) AS holds_indexes,
                   r.status = 'running' AND r.heartbeat_at > now() - @live_within AS live
            FROM migration_status.migration_runs r
            WHERE r.heartbeat_at < now() - @older_than
              AND (@run_id IS NULL OR r.run_id = @run_id)
              AND (@source IS NULL OR r.source_name = @source)
              AND (@include_running OR r.status <> 'running')
            ORDER BY r.started_at
            FOR UPDATE OF r
            """,
            p => p.WithInterval("older_than", request.OlderThan)
                .WithUuid("run_id", request.RunId)
                .WithText("source", request.Source)
                .WithBool("include_running", request.IncludeRunning)
                .WithInterval("live_within", request.LiveWithin),
            row => (RunId: row.GetGuid(0), HoldsIndexes: row.GetBoolean(1), Live: row.GetBoolean(2)),
            cancellationToken).ConfigureAwait(false);

        // A run whose owner still sends heartbeats is at work: deleting it would leave that process loading blind.
        var removed = candidates.Where(c => !c.HoldsIndexes && !c.Live).Select(c => c.RunId).ToArray();
        var kept = candidates.Where(c => c.HoldsIndexes && !c.Live).Select(c => c.RunId).ToArray();
        var live = candidates.Where(c => c.Live).Select(c => c.RunId).ToArray();
        var counts = await StatusDatabase.QueryAsync(
            connection, transaction,
            """
            SELECT (SELECT count(*) FROM migration_status.migration_table_status WHERE run_id = ANY(@ids))::int,
                   (SELECT count(*) FROM migration_status.migration_chunk_status WHERE run_id = ANY(@ids))::int,
                   (SELECT count(*) FROM migration_status.migration_index_backup WHERE run_id = ANY(@ids))::int
            """,
            p => p.With("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, removed),
            row => (Tables: row.GetInt32(0), Chunks: row.GetInt32(1), Backups: row.GetInt32(2)),
            cancellationToken).ConfigureAwait(false);

        if (request.DryRun)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await StatusDatabase.ExecuteAsync(
                connection, transaction,
                "DELETE FROM migration_status.migration_runs WHERE run_id = ANY(@ids)",
                p => p.With("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, removed),
                cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new RunRemovalResult
        {
            RemovedRunIds = removed,
            TablesRemoved = counts[0].Tables,
            ChunksRemoved = counts[0].Chunks,
            IndexBackupsRemoved = counts[0].Backups,
            KeptForIndexRestore = kept,
            KeptLive = live,
            DryRun = request.DryRun,
        };
    }

    private static async Task EnsureEveryChunkCompletedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RunRecord run, CancellationToken cancellationToken)
    {
        var chunks = await CountByStatusAsync(connection, "migration_chunk_status", run.RunId, cancellationToken, transaction).ConfigureAwait(false);
        var tables = await StatusDatabase.QueryAsync(
            connection, transaction,
            """
            SELECT count(*) FILTER (WHERE t.status IN ('failed', 'incomplete'))::int,
                   count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM migration_status.migration_chunk_status c
                                                      WHERE c.run_id = t.run_id AND c.table_name = t.table_name))::int
            FROM migration_status.migration_table_status t WHERE t.run_id = @run_id
            """,
            p => p.WithUuid("run_id", run.RunId),
            row => (Unverified: row.GetInt32(0), WithoutChunks: row.GetInt32(1)),
            cancellationToken).ConfigureAwait(false);
        var (unverified, withoutChunks) = tables[0];
        if (chunks.Total > 0 && chunks.Completed == chunks.Total && unverified == 0 && withoutChunks == 0)
        {
            return;
        }

        var problems = new List<string>();
        if (chunks.Total == 0)
        {
            problems.Add("it has no chunks");
        }
        else if (chunks.Completed != chunks.Total)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"{chunks.Completed} of {chunks.Total} chunks are completed ({chunks.Pending} pending, {chunks.InProgress} in progress, {chunks.Failed} failed, {chunks.Incomplete} incomplete)"));
        }

        if (withoutChunks > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{withoutChunks} table(s) have no chunks"));
        }

        if (unverified > 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{unverified} table(s) are failed or incomplete"));
        }

        throw new SfPgException(
            ErrorCatalog.RunForceCompleteRefused,
            $"Run {run.RunId} of source '{run.SourceName}' cannot be force-completed: {string.Join("; ", problems)}.",
            target: run.RunId.ToString(),
            recommendedAction: null);
    }

    private static async Task<StatusCounts> CountByStatusAsync(
        NpgsqlConnection connection, string statusTable, Guid runId, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        var rows = await StatusDatabase.QueryAsync(
            connection, transaction,
            $"SELECT status, count(*)::int FROM migration_status.{statusTable} WHERE run_id = @run_id GROUP BY status",
            p => p.WithUuid("run_id", runId),
            row => (Status: StatusText.ParseProgressStatus(row.GetString(0)), Count: row.GetInt32(1)),
            cancellationToken).ConfigureAwait(false);
        return StatusCounts.From(rows);
    }

    private static string DefaultReason(RunStopMode mode) =>
        mode == RunStopMode.Cancel ? "stopped by an administrator" : "force-completed by an administrator";
}
