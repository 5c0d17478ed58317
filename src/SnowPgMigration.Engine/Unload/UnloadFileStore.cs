using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// The queue of unloaded files in <c>migration_status.migration_unload_files</c>: the target database is the
/// coordinator, so workers of any number of processes on any number of machines share one run's files.
/// Claims use <c>FOR UPDATE SKIP LOCKED</c>; a claim whose heartbeat went stale (its worker died) is taken over.
/// </summary>
public sealed class UnloadFileStore
{
    private const string Columns = "run_id, table_name, chunk_id, file_name, file_size, row_count, status, attempts, worker_id, rows_loaded";

    private readonly StatusDatabase _database;

    public UnloadFileStore(NpgsqlDataSource dataSource) => _database = new StatusDatabase(dataSource);

    /// <summary>Records a chunk's files as pending; files already recorded are kept as they are.</summary>
    public async Task RecordFilesAsync(Guid runId, string table, int chunkId, IReadOnlyList<(string FileName, long FileSize, long RowCount)> files, CancellationToken cancellationToken)
    {
        await _database.ExecuteAsync(
            """
            INSERT INTO migration_status.migration_unload_files (run_id, table_name, chunk_id, file_name, file_size, row_count)
            SELECT @run_id, @table, @chunk_id, f.name, f.size, f.rows
            FROM unnest(@names, @sizes, @rows) AS f(name, size, rows)
            ON CONFLICT (run_id, table_name, file_name) DO NOTHING
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table).WithInt("chunk_id", chunkId)
                .With("names", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, files.Select(f => f.FileName).ToArray())
                .With("sizes", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint, files.Select(f => f.FileSize).ToArray())
                .With("rows", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint, files.Select(f => f.RowCount).ToArray()),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims the next pending file of a table's chunk (of any of its chunks when <paramref name="chunkId"/> is
    /// null), or one whose claim has not sent a heartbeat for <paramref name="staleAfter"/> (measured on the
    /// database's clock); null when none is claimable.
    /// </summary>
    public async Task<UnloadFileClaim?> ClaimNextFileAsync(Guid runId, string table, int? chunkId, string workerId, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var claimId = Guid.NewGuid();
        // MATERIALIZED: as a plain subquery the planner may rescan the locking SELECT once per row of the
        // table, and each rescan skips the row this statement just updated, so one claim would take every file.
        var claimed = await _database.QueryAsync(
            """
            WITH next AS MATERIALIZED (
                SELECT n.file_name
                FROM migration_status.migration_unload_files n
                WHERE n.run_id = @run_id AND n.table_name = @table AND (@chunk_id::integer IS NULL OR n.chunk_id = @chunk_id)
                  AND (n.status = 'pending' OR n.status = 'in_progress' AND n.heartbeat_at < now() - @stale_after)
                ORDER BY n.file_name
                LIMIT 1
                FOR UPDATE OF n SKIP LOCKED
            )
            UPDATE migration_status.migration_unload_files f
            SET status = 'in_progress', worker_id = @worker_id, claim_id = @claim_id, heartbeat_at = now(), attempts = f.attempts + 1, error = NULL
            FROM next
            WHERE f.run_id = @run_id AND f.table_name = @table AND f.file_name = next.file_name
            RETURNING f.run_id, f.table_name, f.chunk_id, f.file_name, f.file_size, f.row_count, f.status, f.attempts, f.worker_id, f.rows_loaded
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table).WithInt("chunk_id", chunkId).WithText("worker_id", workerId)
                .WithUuid("claim_id", claimId).WithInterval("stale_after", staleAfter),
            Read,
            cancellationToken).ConfigureAwait(false);
        return claimed.Count == 1 ? new UnloadFileClaim(claimed[0], claimId, workerId) : null;
    }

    /// <summary>Refreshes a claim's heartbeat; false when the claim was taken over.</summary>
    public async Task<bool> HeartbeatAsync(UnloadFileClaim claim, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            "UPDATE migration_status.migration_unload_files SET heartbeat_at = now() WHERE run_id = @run_id AND table_name = @table AND file_name = @file AND claim_id = @claim_id AND status = 'in_progress'",
            p => Key(p, claim).WithUuid("claim_id", claim.ClaimId),
            cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>
    /// Marks the file completed inside the transaction that loaded its rows (one commit for both), only while
    /// <paramref name="claim"/> is still current; at the statement's time, since <c>now()</c> is when the
    /// transaction began.
    /// </summary>
    internal static async Task MarkCompletedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, UnloadFileClaim claim, long rowsLoaded, CancellationToken cancellationToken)
    {
        var updated = await StatusDatabase.ExecuteAsync(
            connection,
            transaction,
            """
            UPDATE migration_status.migration_unload_files
            SET status = 'completed', rows_loaded = @rows, completed_at = clock_timestamp(), heartbeat_at = clock_timestamp()
            WHERE run_id = @run_id AND table_name = @table AND file_name = @file AND claim_id = @claim_id AND status = 'in_progress'
            """,
            p => Key(p, claim).WithUuid("claim_id", claim.ClaimId).WithBigint("rows", rowsLoaded),
            cancellationToken).ConfigureAwait(false);
        if (updated != 1)
        {
            throw new SfPgException(ErrorCatalog.UnloadFileClaimLost,
                $"{claim.File.Table} chunk {claim.File.ChunkId} file '{claim.File.FileName}': the claim of {claim.WorkerId} was taken over; its rows were rolled back.",
                target: claim.File.FileName, recommendedAction: null);
        }
    }

    /// <summary>
    /// A chunk just claimed: files its earlier claimer left in progress go back to pending. That claimer is dead or
    /// has lost the chunk, and its file claims can no longer commit, so no row is applied twice.
    /// </summary>
    public async Task<int> ReleaseChunkFilesAsync(Guid runId, string table, int chunkId, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            "UPDATE migration_status.migration_unload_files SET status = 'pending', worker_id = NULL, claim_id = NULL WHERE run_id = @run_id AND table_name = @table AND chunk_id = @chunk_id AND status = 'in_progress'",
            p => p.WithUuid("run_id", runId).WithText("table", table).WithInt("chunk_id", chunkId),
            cancellationToken).ConfigureAwait(false);

    /// <summary>Gives a file back (pending) after a failed attempt, recording why.</summary>
    public async Task ReleaseAsync(UnloadFileClaim claim, string error, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            "UPDATE migration_status.migration_unload_files SET status = 'pending', worker_id = NULL, claim_id = NULL, error = @error WHERE run_id = @run_id AND table_name = @table AND file_name = @file AND claim_id = @claim_id",
            p => Key(p, claim).WithUuid("claim_id", claim.ClaimId).WithText("error", StatusDatabase.Clip(error)),
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<UnloadedFile>> ListFilesAsync(Guid runId, string table, int chunkId, CancellationToken cancellationToken) =>
        await _database.QueryAsync(
            $"SELECT {Columns} FROM migration_status.migration_unload_files WHERE run_id = @run_id AND table_name = @table AND chunk_id = @chunk_id ORDER BY file_name",
            p => p.WithUuid("run_id", runId).WithText("table", table).WithInt("chunk_id", chunkId),
            Read,
            cancellationToken).ConfigureAwait(false);

    public async Task<UnloadChunkTotals> TotalsAsync(Guid runId, string table, int chunkId, CancellationToken cancellationToken)
    {
        var files = await ListFilesAsync(runId, table, chunkId, cancellationToken).ConfigureAwait(false);
        return new UnloadChunkTotals(
            files.Count, files.Count(f => f.Status == "completed"), files.Sum(f => f.RowCount), files.Sum(f => f.RowsLoaded ?? 0));
    }

    /// <summary>Records that a chunk's blobs were deleted after it was completed and verified.</summary>
    public async Task MarkDeletedAsync(Guid runId, string table, int chunkId, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            "UPDATE migration_status.migration_unload_files SET deleted_at = now() WHERE run_id = @run_id AND table_name = @table AND chunk_id = @chunk_id",
            p => p.WithUuid("run_id", runId).WithText("table", table).WithInt("chunk_id", chunkId),
            cancellationToken).ConfigureAwait(false);

    /// <summary>Records that every file of the run's table left the stage with its folder.</summary>
    public async Task MarkTableDeletedAsync(Guid runId, string table, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            "UPDATE migration_status.migration_unload_files SET deleted_at = now() WHERE run_id = @run_id AND table_name = @table AND deleted_at IS NULL",
            p => p.WithUuid("run_id", runId).WithText("table", table),
            cancellationToken).ConfigureAwait(false);

    private static NpgsqlParameterCollection Key(NpgsqlParameterCollection p, UnloadFileClaim claim) =>
        p.WithUuid("run_id", claim.File.RunId).WithText("table", claim.File.Table).WithText("file", claim.File.FileName);

    private static UnloadedFile Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6), r.GetInt32(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetInt64(9));
}
