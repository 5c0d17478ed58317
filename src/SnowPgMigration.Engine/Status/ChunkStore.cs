using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Chunks of a run in <c>migration_chunk_status</c>: recording the plan, claiming with
/// <c>FOR UPDATE SKIP LOCKED</c> so any number of workers in any number of processes share them,
/// heartbeats, taking over stale claims, and the outcome of each attempt.
/// </summary>
/// <remarks>
/// Every change after a claim is guarded by the claim's <see cref="ChunkClaim.ClaimId"/>: a worker
/// whose claim was taken over or reset can no longer complete, fail or give back the chunk.
/// </remarks>
public sealed class ChunkStore
{
    /// <summary>How often a claim retries when a concurrent claimer raced it to every pending chunk it saw.</summary>
    private const int ClaimRaceRetries = 5;

    private readonly StatusDatabase _database;

    internal ChunkStore(StatusDatabase database) => _database = database;

    /// <summary>
    /// Records planned chunks as <c>pending</c> in one statement and sets the table's chunk total.
    /// Chunks already recorded are kept as they are (recording twice is harmless). The table must
    /// have been recorded first (<see cref="TableStatusStore.RecordTableAsync"/>); a migration records both in the
    /// plan's one transaction (<see cref="TableLoaderStore.RecordPlanAsync"/>).
    /// </summary>
    /// <returns>How many chunks were new.</returns>
    public async Task<int> RecordChunksAsync(
        Guid runId, string table, IReadOnlyList<PlannedChunkRow> chunks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(chunks);
        var duplicate = chunks.GroupBy(c => c.ChunkId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Chunk id {duplicate.Key} appears more than once in the plan for table '{table}'.", nameof(chunks));
        }

        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await InsertChunksAsync(connection, transaction, runId, table, chunks, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>Inserts planned chunks as <c>pending</c> and sets the table's chunk total, inside the caller's transaction.</summary>
    internal static async Task<int> InsertChunksAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, string table, IReadOnlyList<PlannedChunkRow> chunks, CancellationToken cancellationToken)
    {
        int inserted;
        try
        {
            inserted = await StatusDatabase.ExecuteAsync(
                connection,
                transaction,
                """
                INSERT INTO migration_status.migration_chunk_status
                    (run_id, table_name, chunk_id, strategy, predicate, bounds, expected_rows, status)
                SELECT @run_id, @table, p.chunk_id, p.strategy, p.predicate, p.bounds::jsonb, p.expected_rows, 'pending'
                FROM unnest(@chunk_ids, @strategies, @predicates, @bounds, @expected_rows)
                     AS p(chunk_id, strategy, predicate, bounds, expected_rows)
                ON CONFLICT (run_id, table_name, chunk_id) DO NOTHING
                """,
                p => p.WithUuid("run_id", runId)
                    .WithText("table", table)
                    .With("chunk_ids", NpgsqlDbType.Array | NpgsqlDbType.Integer, chunks.Select(c => c.ChunkId).ToArray())
                    .With("strategies", NpgsqlDbType.Array | NpgsqlDbType.Text, chunks.Select(c => c.Strategy).ToArray())
                    .With("predicates", NpgsqlDbType.Array | NpgsqlDbType.Text, chunks.Select(c => c.Predicate).ToArray())
                    .With("bounds", NpgsqlDbType.Array | NpgsqlDbType.Text, chunks.Select(c => c.BoundsJson).ToArray())
                    .With("expected_rows", NpgsqlDbType.Array | NpgsqlDbType.Bigint, chunks.Select(c => c.ExpectedRows).ToArray()),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new SfPgException(
                ErrorCatalog.TableStatusNotFound,
                $"Table '{table}' is not recorded in run {runId}; its chunks cannot be recorded.",
                target: table,
                recommendedAction: null,
                ex);
        }

        await StatusDatabase.ExecuteAsync(
            connection,
            transaction,
            """
            UPDATE migration_status.migration_table_status t
            SET chunks_total = (SELECT count(*) FROM migration_status.migration_chunk_status c
                                WHERE c.run_id = t.run_id AND c.table_name = t.table_name),
                updated_at = now()
            WHERE t.run_id = @run_id AND t.table_name = @table
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table),
            cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>
    /// Claims the next pending chunk of a running run (of one table, or of any when
    /// <paramref name="table"/> is null) for <paramref name="workerId"/>: <c>in_progress</c>, a new
    /// claim id, a fresh heartbeat, one more attempt. Chunks locked by other claimers are skipped, so
    /// two workers never get the same chunk. Returns null when nothing is left to claim, or when the
    /// run is no longer <c>running</c> (an administrator stopped it).
    /// </summary>
    public async Task<ChunkClaim?> ClaimNextChunkAsync(
        Guid runId, string? table, string workerId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        for (var attempt = 0; ; attempt++)
        {
            var claimId = Guid.NewGuid();
            var claimed = await _database.QueryAsync(
                $"""
                UPDATE migration_status.migration_chunk_status c
                SET status = 'in_progress', worker_id = @worker_id, claim_id = @claim_id, heartbeat_at = now(),
                    attempts = c.attempts + 1, started_at = now(), completed_at = NULL
                FROM (
                    SELECT n.run_id, n.table_name, n.chunk_id
                    FROM migration_status.migration_chunk_status n
                    JOIN migration_status.migration_runs r ON r.run_id = n.run_id AND r.status = 'running'
                    WHERE n.run_id = @run_id AND n.status = 'pending' AND (@table IS NULL OR n.table_name = @table)
                      AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= now())
                    ORDER BY n.table_name, n.chunk_id
                    LIMIT 1
                    FOR UPDATE OF n SKIP LOCKED
                ) next
                WHERE c.run_id = next.run_id AND c.table_name = next.table_name AND c.chunk_id = next.chunk_id
                RETURNING {StatusRows.ChunkColumns}
                """,
                p => p.WithUuid("run_id", runId).WithText("table", table).WithText("worker_id", workerId).WithUuid("claim_id", claimId),
                StatusRows.ReadChunk,
                cancellationToken).ConfigureAwait(false);
            if (claimed.Count == 1)
            {
                return new ChunkClaim(claimed[0], claimId);
            }

            // Under READ COMMITTED a chunk claimed by a concurrent worker between our snapshot and our
            // lock fails the re-check and LIMIT 1 yields nothing, although other chunks may be pending.
            if (attempt >= ClaimRaceRetries || !await HasClaimableChunksAsync(runId, table, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    /// <summary>Keeps a claim's heartbeat fresh. False when the claim is no longer the chunk's current claim: stop working on it.</summary>
    public async Task<bool> HeartbeatChunkAsync(ChunkClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var touched = await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_chunk_status SET heartbeat_at = now()
            WHERE run_id = @run_id AND table_name = @table AND chunk_id = @chunk_id
              AND claim_id = @claim_id AND status = 'in_progress'
            """,
            p => BindClaim(p, claim),
            cancellationToken).ConfigureAwait(false);
        return touched == 1;
    }

    /// <summary>
    /// Marks the claimed chunk <c>completed</c> inside the caller's transaction, the same one that
    /// wrote the chunk's rows: rows and status commit together or not at all. Stop the claim's
    /// heartbeat first (this statement holds the chunk's row lock until the caller commits). Its time is the
    /// statement's, not <c>now()</c>: that is when the transaction began, before the chunk's rows were written.
    /// </summary>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.ChunkClaimLost"/> when the claim was taken over or reset: the caller must
    /// roll back, so the rows are not loaded twice.
    /// </exception>
    public static async Task MarkChunkCompletedAsync(
        NpgsqlTransaction transaction, ChunkClaim claim, long rowsCopied, string? checksum, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentOutOfRangeException.ThrowIfNegative(rowsCopied);
        var connection = transaction.Connection
            ?? throw new ArgumentException("The transaction is already committed or rolled back.", nameof(transaction));
        var updated = await StatusDatabase.ExecuteAsync(
            connection,
            transaction,
            """
            UPDATE migration_status.migration_chunk_status
            SET status = 'completed', rows_copied = @rows_copied, checksum = @checksum,
                completed_at = clock_timestamp(), heartbeat_at = clock_timestamp(), error = NULL, replace_rows = false
            WHERE run_id = @run_id AND table_name = @table AND chunk_id = @chunk_id
              AND claim_id = @claim_id AND status = 'in_progress'
            """,
            p => BindClaim(p, claim).WithBigint("rows_copied", rowsCopied).WithText("checksum", checksum),
            cancellationToken).ConfigureAwait(false);
        if (updated != 1)
        {
            throw new SfPgException(
                ErrorCatalog.ChunkClaimLost,
                $"Chunk {claim.ChunkId} of table '{claim.Table}' (run {claim.RunId}) is no longer claimed by worker '{claim.WorkerId}' " +
                $"(attempt {claim.Attempt}); roll back its rows.",
                target: $"{claim.Table}#{claim.ChunkId}",
                recommendedAction: null);
        }
    }

    /// <summary>
    /// Gives a claimed chunk back as <c>pending</c>, claimable at once; the error goes to the chunk's
    /// history. False when the claim was already lost.
    /// </summary>
    public Task<bool> ReleaseChunkForRetryAsync(ChunkClaim claim, string error, CancellationToken cancellationToken) =>
        EndAttemptAsync(claim, error, ProgressStatus.Pending, "retry", TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// Gives a claimed chunk back as <c>pending</c> after a failed attempt that will be retried, claimable
    /// only from <c>next_attempt_at</c> = now + <paramref name="retryAfter"/> (by the database's clock):
    /// the back-off belongs to the chunk, so the worker moves on to other chunks meanwhile.
    /// False when the claim was already lost.
    /// </summary>
    public Task<bool> ReleaseChunkForRetryAsync(ChunkClaim claim, string error, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        return EndAttemptAsync(claim, error, ProgressStatus.Pending, "retry", retryAfter, cancellationToken);
    }

    /// <summary>Marks a claimed chunk <c>failed</c> (no more attempts); the error goes to its history. False when the claim was already lost.</summary>
    public Task<bool> MarkChunkFailedAsync(ChunkClaim claim, string error, CancellationToken cancellationToken) =>
        EndAttemptAsync(claim, error, ProgressStatus.Failed, "failed", TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// How long until the earliest pending chunk of the table (or run) may be claimed: zero when one is
    /// due now, null when none is pending or the run is no longer running. Workers that found nothing
    /// to claim wait this long rather than leave a chunk that is only waiting out its back-off.
    /// </summary>
    public async Task<TimeSpan?> TimeUntilNextDueAsync(Guid runId, string? table, CancellationToken cancellationToken)
    {
        var rows = await _database.QueryAsync(
            """
            SELECT CASE WHEN count(*) > 0 THEN greatest(min(coalesce(n.next_attempt_at, now())) - now(), interval '0') END
            FROM migration_status.migration_chunk_status n
            JOIN migration_status.migration_runs r ON r.run_id = n.run_id AND r.status = 'running'
            WHERE n.run_id = @run_id AND n.status = 'pending' AND (@table IS NULL OR n.table_name = @table)
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table),
            row => row.IsDBNull(0) ? (TimeSpan?)null : row.GetFieldValue<TimeSpan>(0),
            cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    /// <summary>
    /// Puts claims whose heartbeat is older than <paramref name="staleAfter"/> back to <c>pending</c>
    /// (their workers died or hung), noting the take-over in each chunk's history.
    /// </summary>
    /// <returns>The chunks taken over, as they are now.</returns>
    public async Task<IReadOnlyList<ChunkRecord>> ReleaseStaleClaimsAsync(
        Guid runId, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(staleAfter, TimeSpan.Zero);
        return await TakeOverClaimsAsync(
            "c.heartbeat_at < now() - @stale_after", reason: null, p => p.WithUuid("run_id", runId).WithInterval("stale_after", staleAfter), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Puts the <c>in_progress</c> claims held by the given workers back to <c>pending</c> at once, whatever
    /// their heartbeat: their process is known to be gone (it was killed on this host), so there is no
    /// need to wait for the claims to go stale.
    /// </summary>
    /// <returns>The chunks taken over, as they are now.</returns>
    public async Task<IReadOnlyList<ChunkRecord>> ReleaseClaimsOfWorkersAsync(
        Guid runId, IReadOnlyCollection<string> workerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        if (workerIds.Count == 0)
        {
            return [];
        }

        return await TakeOverClaimsAsync(
            "c.worker_id = ANY(@worker_ids)", reason: "worker process ended",
            p => p.WithUuid("run_id", runId).With("worker_ids", NpgsqlDbType.Array | NpgsqlDbType.Text, workerIds.ToArray()), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Puts the run's <c>in_progress</c> claims that match <paramref name="claimCondition"/> (SQL text of this class, never
    /// input) back to <c>pending</c>, noting the take-over, with its reason when there is one, in each chunk's history.
    /// </summary>
    private Task<List<ChunkRecord>> TakeOverClaimsAsync(
        string claimCondition, string? reason, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken) =>
        _database.QueryAsync(
            $"""
            UPDATE migration_status.migration_chunk_status c
            SET status = 'pending', worker_id = NULL, claim_id = NULL,
                error_history = c.error_history || jsonb_build_array(jsonb_build_object(
                    'at', now(), 'event', 'claim_taken_over', 'attempt', c.attempts,
                    'worker_id', c.worker_id, 'heartbeat_at', c.heartbeat_at) || jsonb_strip_nulls(jsonb_build_object('reason', @reason::text)))
            WHERE c.run_id = @run_id AND c.status = 'in_progress' AND {claimCondition}
            RETURNING {StatusRows.ChunkColumns}
            """,
            p =>
            {
                bind(p);
                p.WithText("reason", reason);
            },
            StatusRows.ReadChunk,
            cancellationToken);

    /// <summary>
    /// Puts back to <c>pending</c> the claims held by workers of processes on this host that have ended
    /// (killed, crashed): no need to wait for their heartbeats to go stale.
    /// </summary>
    /// <returns>The chunks taken over, as they are now.</returns>
    public async Task<IReadOnlyList<ChunkRecord>> ReleaseClaimsOfEndedLocalProcessesAsync(Guid runId, CancellationToken cancellationToken)
    {
        var workers = await ListClaimingWorkersAsync(runId, cancellationToken).ConfigureAwait(false);
        return await ReleaseClaimsOfWorkersAsync(runId, workers.Where(RunLiveness.IsWorkerOfEndedLocalProcess).ToList(), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The worker ids holding <c>in_progress</c> claims of a run.</summary>
    public async Task<IReadOnlyList<string>> ListClaimingWorkersAsync(Guid runId, CancellationToken cancellationToken)
    {
        return await _database.QueryAsync(
            """
            SELECT DISTINCT c.worker_id FROM migration_status.migration_chunk_status c
            WHERE c.run_id = @run_id AND c.status = 'in_progress' AND c.worker_id IS NOT NULL
            """,
            p => p.WithUuid("run_id", runId),
            r => r.GetString(0),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts a run's <c>failed</c> and <c>incomplete</c> chunks back to <c>pending</c> for a resume; attempts and history are kept.</summary>
    /// <returns>How many chunks were requeued.</returns>
    public async Task<int> RequeueFailedChunksAsync(Guid runId, CancellationToken cancellationToken)
    {
        return await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_chunk_status c
            SET status = 'pending', worker_id = NULL, claim_id = NULL, completed_at = NULL, next_attempt_at = NULL,
                error_history = c.error_history || jsonb_build_array(jsonb_build_object(
                    'at', now(), 'event', 'requeued', 'previous_status', c.status, 'attempt', c.attempts))
            WHERE c.run_id = @run_id AND c.status IN ('failed', 'incomplete')
            """,
            p => p.WithUuid("run_id", runId),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The chunks of a run's table, in chunk order.</summary>
    public async Task<IReadOnlyList<ChunkRecord>> ListChunksAsync(Guid runId, string table, CancellationToken cancellationToken)
    {
        return await _database.QueryAsync(
            $"""
            SELECT {StatusRows.ChunkColumns} FROM migration_status.migration_chunk_status c
            WHERE c.run_id = @run_id AND c.table_name = @table ORDER BY c.chunk_id
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table),
            StatusRows.ReadChunk,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> EndAttemptAsync(
        ChunkClaim claim, string error, ProgressStatus status, string historyEvent, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var updated = await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_chunk_status c
            SET status = @status, error = @error, heartbeat_at = now(), completed_at = NULL,
                worker_id = CASE WHEN @status = 'pending' THEN NULL ELSE c.worker_id END,
                claim_id = NULL,
                next_attempt_at = CASE WHEN @status = 'pending' THEN now() + @retry_after END,
                error_history = c.error_history || jsonb_build_array(jsonb_build_object(
                    'at', now(), 'event', @event, 'attempt', c.attempts, 'worker_id', c.worker_id, 'error', @error))
            WHERE c.run_id = @run_id AND c.table_name = @table AND c.chunk_id = @chunk_id
              AND c.claim_id = @claim_id AND c.status = 'in_progress'
            """,
            p => BindClaim(p, claim)
                .WithText("status", StatusText.ToText(status))
                .WithText("event", historyEvent)
                .WithText("error", StatusDatabase.Clip(error) ?? "")
                .WithInterval("retry_after", retryAfter),
            cancellationToken).ConfigureAwait(false);
        return updated == 1;
    }

    private async Task<bool> HasClaimableChunksAsync(Guid runId, string? table, CancellationToken cancellationToken)
    {
        var rows = await _database.QueryAsync(
            """
            SELECT EXISTS (
                SELECT 1 FROM migration_status.migration_chunk_status n
                JOIN migration_status.migration_runs r ON r.run_id = n.run_id AND r.status = 'running'
                WHERE n.run_id = @run_id AND n.status = 'pending' AND (@table IS NULL OR n.table_name = @table)
                  AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= now()))
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table),
            row => row.GetBoolean(0),
            cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    private static NpgsqlParameterCollection BindClaim(NpgsqlParameterCollection parameters, ChunkClaim claim) =>
        parameters.WithUuid("run_id", claim.RunId)
            .WithText("table", claim.Table)
            .WithInt("chunk_id", claim.ChunkId)
            .WithUuid("claim_id", claim.ClaimId);
}
