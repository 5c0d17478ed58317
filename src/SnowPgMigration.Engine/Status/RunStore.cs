using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// The life of a run in <c>migration_runs</c>: create, heartbeat, resume, finish, and the lookup of
/// a run to resume. Every time is the database's <c>now()</c>, the one clock all workers share.
/// </summary>
public sealed class RunStore
{
    /// <summary>How long <see cref="FinishRunAsync(Guid, Guid?, RunStatus, string?, CancellationToken)"/> keeps trying before it gives up.</summary>
    public static readonly TimeSpan FinishTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Counters recomputed from the run's tables and chunks; needs the run as <c>r</c>.</summary>
    internal const string CounterAssignments = """
        tables_total = (SELECT count(*) FROM migration_status.migration_table_status t WHERE t.run_id = r.run_id),
        tables_completed = (SELECT count(*) FROM migration_status.migration_table_status t
                            WHERE t.run_id = r.run_id AND t.status = 'completed'),
        tables_failed = (SELECT count(*) FROM migration_status.migration_table_status t
                         WHERE t.run_id = r.run_id AND t.status IN ('failed', 'incomplete')),
        rows_copied = (SELECT coalesce(sum(c.rows_copied), 0) FROM migration_status.migration_chunk_status c
                       WHERE c.run_id = r.run_id AND c.status = 'completed'),
        rows_expected = (SELECT sum(coalesce(t.source_row_count,
                                    (SELECT sum(c.expected_rows) FROM migration_status.migration_chunk_status c
                                     WHERE c.run_id = t.run_id AND c.table_name = t.table_name)))
                         FROM migration_status.migration_table_status t WHERE t.run_id = r.run_id)
        """;

    private readonly StatusDatabase _database;

    internal RunStore(StatusDatabase database) => _database = database;

    /// <summary>Records a new run as <c>running</c> with a fresh heartbeat.</summary>
    public async Task<RunRecord> CreateRunAsync(NewRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(run.SourceName);
        ArgumentException.ThrowIfNullOrEmpty(run.ConfigHash);
        var rows = await _database.QueryAsync(
            $"""
            INSERT INTO migration_status.migration_runs AS r
                (run_id, source_name, config_hash, status, host_name, process_id, worker_info, tool_version, owner_token, config_canonical)
            VALUES (@run_id, @source_name, @config_hash, 'running', @host_name, @process_id, @worker_info, @tool_version,
                    @owner_token, @config_canonical)
            RETURNING {StatusRows.RunColumns}
            """,
            p => p.WithUuid("run_id", run.RunId ?? Guid.NewGuid())
                .WithText("source_name", run.SourceName)
                .WithText("config_hash", run.ConfigHash)
                .WithText("host_name", run.HostName)
                .WithInt("process_id", run.ProcessId)
                .WithText("worker_info", run.WorkerInfo)
                .WithText("tool_version", run.ToolVersion)
                .WithUuid("owner_token", run.OwnerToken)
                .WithJsonb("config_canonical", run.ConfigCanonical),
            StatusRows.ReadRun,
            cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <summary>The run, or null when no run has this id.</summary>
    public async Task<RunRecord?> GetRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        var rows = await _database.QueryAsync(
            $"SELECT {StatusRows.RunColumns} FROM migration_status.migration_runs r WHERE r.run_id = @run_id",
            p => p.WithUuid("run_id", runId),
            StatusRows.ReadRun,
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Refreshes the heartbeat of a running run and returns its current status, so a process learns
    /// that an administrator cancelled the run (then the heartbeat is left alone) and stops claiming.
    /// With <paramref name="ownerToken"/>, only the owner's beat counts: a run another process has
    /// taken over answers <see cref="RunHeartbeat.Owned"/> false.
    /// </summary>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.RunNotFound"/> when the run is gone.</exception>
    public async Task<RunHeartbeat> HeartbeatAsync(Guid runId, Guid? ownerToken, CancellationToken cancellationToken)
    {
        var rows = await _database.QueryAsync(
            $"""
            WITH touched AS (
                UPDATE migration_status.migration_runs r SET heartbeat_at = now(),
                    {CounterAssignments}
                WHERE r.run_id = @run_id AND r.status = 'running' AND (@owner IS NULL OR r.owner_token IS NOT DISTINCT FROM @owner)
                RETURNING r.status, true AS owned)
            SELECT status, owned FROM touched
            UNION ALL
            SELECT status, @owner IS NULL OR owner_token IS NOT DISTINCT FROM @owner FROM migration_status.migration_runs
            WHERE run_id = @run_id AND NOT EXISTS (SELECT 1 FROM touched)
            """,
            p => p.WithUuid("run_id", runId).WithUuid("owner", ownerToken),
            row => new RunHeartbeat(StatusText.ParseRunStatus(row.GetString(0)), row.GetBoolean(1)),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? throw NotFound(runId) : rows[0];
    }

    /// <inheritdoc cref="HeartbeatAsync(Guid, Guid?, CancellationToken)"/>
    public async Task<RunStatus> HeartbeatAsync(Guid runId, CancellationToken cancellationToken) =>
        (await HeartbeatAsync(runId, null, cancellationToken).ConfigureAwait(false)).Status;

    /// <summary>
    /// Makes an unfinished run <c>running</c> again with a fresh heartbeat under this process, with no owner token.
    /// A migration resumes through <see cref="TakeOverRunAsync"/> instead, and a process joining a run changes
    /// nothing on it. Its chunks are untouched; see <see cref="ChunkStore.ReleaseStaleClaimsAsync"/>
    /// and <see cref="ChunkStore.RequeueFailedChunksAsync"/>.
    /// </summary>
    public Task<RunRecord> ResumeRunAsync(Guid runId, CancellationToken cancellationToken) =>
        TakeOverRunAsync(runId, seen: null, new RunOwner(Environment.MachineName, Environment.ProcessId, null), null, cancellationToken);

    /// <summary>
    /// Makes an unfinished run <c>running</c> again under a new owner, atomically: when <paramref name="seen"/>
    /// is given and the run is <c>running</c>, it is taken only if its owner and heartbeat are still the ones
    /// seen (the caller judged that owner gone). A concurrent resumer therefore cannot take it a second time.
    /// With <paramref name="config"/>, the run goes on under that config from now on (a resume accepted with --force).
    /// </summary>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.RunResumeRefused"/> for a completed run; <see cref="ErrorCatalog.RunOwnedByLiveProcess"/>
    /// when another process took the run first.
    /// </exception>
    public async Task<RunRecord> TakeOverRunAsync(
        Guid runId, RunRecord? seen, RunOwner owner, (string Hash, string Canonical)? config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var rows = await _database.QueryAsync(
            $"""
            UPDATE migration_status.migration_runs r
            SET status = 'running', completed_at = NULL, heartbeat_at = now(), error = NULL,
                host_name = @host_name, process_id = @process_id, owner_token = @owner_token,
                config_hash = coalesce(@config_hash, r.config_hash), config_canonical = coalesce(@config_canonical, r.config_canonical)
            WHERE r.run_id = @run_id AND r.status <> 'completed'
              AND (@check = false OR r.status <> 'running'
                   OR (r.heartbeat_at = @seen_heartbeat AND r.owner_token IS NOT DISTINCT FROM @seen_owner))
            RETURNING {StatusRows.RunColumns}
            """,
            p => p.WithUuid("run_id", runId)
                .WithText("host_name", owner.HostName)
                .WithInt("process_id", owner.ProcessId)
                .WithUuid("owner_token", owner.Token)
                .WithBool("check", seen is not null)
                .With("seen_heartbeat", NpgsqlTypes.NpgsqlDbType.TimestampTz, seen?.HeartbeatAt)
                .WithUuid("seen_owner", seen?.OwnerToken)
                .WithText("config_hash", config?.Hash)
                .WithJsonb("config_canonical", config?.Canonical),
            StatusRows.ReadRun,
            cancellationToken).ConfigureAwait(false);
        if (rows.Count == 1)
        {
            return rows[0];
        }

        var existing = await GetRunAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(runId);
        if (existing.Status == RunStatus.Running)
        {
            throw OwnedByLiveProcess(existing);
        }

        throw new SfPgException(
            ErrorCatalog.RunResumeRefused,
            $"Run {runId} of source '{existing.SourceName}' completed at {existing.CompletedAt:u}; there is nothing to resume.",
            target: runId.ToString(),
            recommendedAction: null);
    }

    /// <summary>The refusal to take over a run another live process owns; names it and the way to share it.</summary>
    public static SfPgException OwnedByLiveProcess(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new SfPgException(
            ErrorCatalog.RunOwnedByLiveProcess,
            $"Run {run.RunId} of source '{run.SourceName}' is running in another process (host {run.HostName ?? "?"}, pid {run.ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, " +
            $"last heartbeat {run.HeartbeatAge.TotalSeconds:N0} s ago). It is not taken over. To share its chunks, run with --join {run.RunId} " +
            $"(Start-SfPgMigration -JoinRunId {run.RunId}); to stop it, use sfpg stop-run --run-id {run.RunId} (Stop-SfPgRun); or wait for it to finish.",
            target: run.RunId.ToString(),
            recommendedAction: null);
    }

    /// <summary>
    /// Records the run's final status, its error, and counters recomputed from its tables and chunks.
    /// Meant for a <c>finally</c> block: pass <see cref="CancellationToken.None"/> there (a cancelled
    /// run must still be recorded as cancelled). Transient failures are retried for up to
    /// <see cref="FinishTimeout"/>.
    /// </summary>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.RunStatusNotPersisted"/> when it could not be written.</exception>
    public Task<RunRecord> FinishRunAsync(Guid runId, RunStatus status, string? error, CancellationToken cancellationToken) =>
        FinishRunAsync(runId, null, status, error, cancellationToken);

    /// <summary>
    /// As <see cref="FinishRunAsync(Guid, RunStatus, string, CancellationToken)"/>, but only while the run is
    /// still <c>running</c> under <paramref name="ownerToken"/>: a run an administrator stopped, or another
    /// process took over, is returned as it is and never relabelled.
    /// </summary>
    public async Task<RunRecord> FinishRunAsync(Guid runId, Guid? ownerToken, RunStatus status, string? error, CancellationToken cancellationToken)
    {
        if (status == RunStatus.Running)
        {
            throw new ArgumentException("A run finishes with a final status, not 'running'.", nameof(status));
        }

        // A dropped connection is the likely failure after a crash, restart or failover: the one retry policy keeps
        // trying for the whole budget, and the timeout also ends a call that hangs.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FinishTimeout);
        var attempts = 0;
        try
        {
            return await PostgresRetry.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    var rows = await _database.QueryAsync(
                        $"""
                        UPDATE migration_status.migration_runs r
                        SET status = @status, completed_at = now(), heartbeat_at = now(), error = @error,
                            stop_reason = CASE WHEN @status = 'completed' THEN NULL ELSE r.stop_reason END,
                            {CounterAssignments}
                        WHERE r.run_id = @run_id
                          AND (@owner IS NULL OR (r.status = 'running' AND r.owner_token IS NOT DISTINCT FROM @owner))
                        RETURNING {StatusRows.RunColumns}
                        """,
                        p => p.WithUuid("run_id", runId)
                            .WithUuid("owner", ownerToken)
                            .WithText("status", StatusText.ToText(status))
                            .WithText("error", StatusDatabase.Clip(error)),
                        StatusRows.ReadRun,
                        token).ConfigureAwait(false);
                    return rows.Count == 1 ? rows[0]
                        : await GetRunAsync(runId, token).ConfigureAwait(false) ?? throw NotFound(runId);
                },
                timeout.Token,
                FinishTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            throw new SfPgException(
                ErrorCatalog.RunStatusNotPersisted,
                $"Run {runId} could not be recorded as '{StatusText.ToText(status)}' after {attempts} attempt(s): {ex.Message}",
                target: runId.ToString(),
                recommendedAction: null,
                ex);
        }
    }

    /// <summary>
    /// Looks for a run to resume for a source and config hash. Walking back from the newest run:
    /// a completed run ends the search (everything before it is superseded); the first unfinished run
    /// whose last heartbeat is within <paramref name="maxAge"/> is resumable; unfinished runs outside
    /// the window met before it are reported as <see cref="ResumeLookup.TooOld"/>.
    /// A resumable run may still be <c>running</c> with a fresh heartbeat (another process is on it):
    /// check <see cref="RunRecord.IsStale"/> to tell a live run, to join, from a crashed one.
    /// </summary>
    public async Task<ResumeLookup> FindResumableRunAsync(
        string sourceName, string configHash, TimeSpan maxAge, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        ArgumentException.ThrowIfNullOrEmpty(configHash);
        var runs = await _database.QueryAsync(
            $"""
            SELECT {StatusRows.RunColumns}
            FROM migration_status.migration_runs r
            WHERE r.source_name = @source_name AND r.config_hash = @config_hash
            ORDER BY r.started_at DESC, r.run_id
            LIMIT 100
            """,
            p => p.WithText("source_name", sourceName).WithText("config_hash", configHash),
            StatusRows.ReadRun,
            cancellationToken).ConfigureAwait(false);

        var tooOld = new List<RunRecord>();
        foreach (var run in runs)
        {
            if (run.Status == RunStatus.Completed)
            {
                break;
            }

            if (run.HeartbeatAge <= maxAge)
            {
                return new ResumeLookup(run, tooOld);
            }

            tooOld.Add(run);
        }

        return new ResumeLookup(null, tooOld);
    }

    internal static SfPgException NotFound(Guid runId) =>
        new(ErrorCatalog.RunNotFound, $"No migration run has id {runId} in the migration_status schema.", runId.ToString(), recommendedAction: null);
}
