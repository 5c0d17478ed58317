using Npgsql;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Which run loads each target table (<c>migration_table_loader</c>), and the one transaction that
/// records a table's plan: the loader taken, the target emptied for <c>truncate_onstart</c>, the table's
/// status and its chunk list. A crash at any instant leaves all of it or none of it.
/// </summary>
public sealed class TableLoaderStore
{
    private readonly StatusDatabase _database;

    internal TableLoaderStore(StatusDatabase database) => _database = database;

    /// <summary>The run that last planned the table, with that run's record; null when none has since this table existed.</summary>
    public async Task<TableLoader?> GetLoaderAsync(string targetSchema, string table, CancellationToken cancellationToken)
    {
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLoaderAsync(connection, null, targetSchema, table, forUpdate: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a table's plan in one transaction (see <see cref="PlanRecording"/>).
    /// </summary>
    /// <returns>False when another process of the same run recorded the table's plan first: use that one.</returns>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.RunNoLongerOwned"/> when the run is no longer running under its owner;
    /// <see cref="ErrorCatalog.TableLoadedByAnotherRun"/> when a live run is loading the table.
    /// </exception>
    public async Task<bool> RecordPlanAsync(PlanRecording recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var plan = recording.Plan;
        using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The run row's share lock: a cleanup or a take-over waits for this plan, and this plan waits for them.
        var owned = await StatusDatabase.QueryAsync(
            connection, transaction,
            """
            SELECT 1 FROM migration_status.migration_runs
            WHERE run_id = @run_id AND status = 'running' AND (@owner IS NULL OR owner_token IS NOT DISTINCT FROM @owner)
            FOR SHARE
            """,
            p => p.WithUuid("run_id", plan.RunId).WithUuid("owner", recording.OwnerToken),
            r => r.GetInt32(0),
            cancellationToken).ConfigureAwait(false);
        if (owned.Count == 0)
        {
            throw NoLongerOwned(plan.RunId, plan.Table);
        }

        await StatusDatabase.ExecuteAsync(
            connection, transaction,
            """
            INSERT INTO migration_status.migration_table_loader (target_schema, table_name, run_id, source_name)
            VALUES (@schema, @table, @run_id, @source_name)
            ON CONFLICT (target_schema, table_name) DO NOTHING
            """,
            p => p.WithText("schema", plan.TargetSchema).WithText("table", plan.Table).WithUuid("run_id", plan.RunId)
                .WithText("source_name", recording.SourceName),
            cancellationToken).ConfigureAwait(false);
        var loader = (await ReadLoaderAsync(connection, transaction, plan.TargetSchema, plan.Table, forUpdate: true, cancellationToken).ConfigureAwait(false))!;
        if (loader.RunId != plan.RunId && loader.Loading && recording.IsStillLoading(loader))
        {
            throw new SfPgException(
                ErrorCatalog.TableLoadedByAnotherRun,
                $"Table {plan.TargetSchema}.{plan.Table} is being loaded by run {loader.RunId} of source '{loader.SourceName}' " +
                $"(host {loader.Run?.HostName ?? "?"}, pid {loader.Run?.ProcessId}, last heartbeat {loader.Run?.HeartbeatAge.TotalSeconds:N0} s ago); " +
                $"run {plan.RunId} leaves it alone. Wait for that run, join it with --join {loader.RunId}, or stop it with sfpg stop-run --run-id {loader.RunId}.",
                target: $"{plan.TargetSchema}.{plan.Table}",
                recommendedAction: null);
        }

        await StatusDatabase.ExecuteAsync(
            connection, transaction,
            """
            INSERT INTO migration_status.migration_table_status (run_id, table_name, source_table, target_schema, status)
            VALUES (@run_id, @table, @source_table, @schema, 'pending')
            ON CONFLICT (run_id, table_name) DO NOTHING
            """,
            p => p.WithUuid("run_id", plan.RunId).WithText("table", plan.Table).WithText("source_table", plan.SourceTable)
                .WithText("schema", plan.TargetSchema),
            cancellationToken).ConfigureAwait(false);
        var planned = await StatusDatabase.QueryAsync(
            connection, transaction,
            "SELECT planned_at IS NOT NULL FROM migration_status.migration_table_status WHERE run_id = @run_id AND table_name = @table FOR UPDATE",
            p => p.WithUuid("run_id", plan.RunId).WithText("table", plan.Table),
            r => r.GetBoolean(0),
            cancellationToken).ConfigureAwait(false);
        if (planned[0] && !recording.ReplaceEarlierPlan)
        {
            return false;
        }

        await StatusDatabase.ExecuteAsync(
            connection, transaction,
            "DELETE FROM migration_status.migration_chunk_status WHERE run_id = @run_id AND table_name = @table",
            p => p.WithUuid("run_id", plan.RunId).WithText("table", plan.Table),
            cancellationToken).ConfigureAwait(false);

        if (recording.TruncateSql is { } truncate)
        {
            using var command = new NpgsqlCommand(truncate, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await StatusDatabase.ExecuteAsync(
            connection, transaction,
            """
            UPDATE migration_status.migration_table_status
            SET source_table = @source_table, target_schema = @schema, load_method = @load_method, strategy = @strategy,
                source_row_count = @source_row_count, status = 'pending', planned_at = now(), started_at = NULL,
                completed_at = NULL, error = NULL, verification = NULL, verified_at = NULL, updated_at = now()
            WHERE run_id = @run_id AND table_name = @table
            """,
            p => p.WithUuid("run_id", plan.RunId).WithText("table", plan.Table).WithText("source_table", plan.SourceTable)
                .WithText("schema", plan.TargetSchema).WithText("load_method", plan.LoadMethod).WithText("strategy", plan.Strategy)
                .WithBigint("source_row_count", plan.SourceRowCount),
            cancellationToken).ConfigureAwait(false);
        await ChunkStore.InsertChunksAsync(connection, transaction, plan.RunId, plan.Table, recording.Chunks, cancellationToken).ConfigureAwait(false);
        await StatusDatabase.ExecuteAsync(
            connection, transaction,
            """
            UPDATE migration_status.migration_table_loader
            SET run_id = @run_id, source_name = @source_name, loading = true, planned_at = now(), finished_at = NULL
            WHERE target_schema = @schema AND table_name = @table
            """,
            p => p.WithText("schema", plan.TargetSchema).WithText("table", plan.Table).WithUuid("run_id", plan.RunId)
                .WithText("source_name", recording.SourceName),
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Marks the table finished by its loading run (completed, incomplete or failed): another run may plan it now.</summary>
    public async Task FinishLoadingAsync(Guid runId, string targetSchema, string table, CancellationToken cancellationToken)
    {
        await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_table_loader SET loading = false, finished_at = now()
            WHERE target_schema = @schema AND table_name = @table AND run_id = @run_id
            """,
            p => p.WithText("schema", targetSchema).WithText("table", table).WithUuid("run_id", runId),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a transaction that writes a run's rows into a table (a chunk, an unloaded file): takes the share lock on
    /// the table's loader row and requires it to name the run. Held until commit, it makes a newer run's plan (which
    /// updates that row, then truncates) wait for the rows in flight; once a newer run took the table, the older run
    /// writes nothing more into it. Taken before the rows are written, so the lock order is the plan's: loader row, then table.
    /// </summary>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.TableSupersededByNewerRun"/> when another run loads the table now.</exception>
    internal static async Task HoldLoaderAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, string targetSchema, string table, CancellationToken cancellationToken)
    {
        // The loader table alone: a schema install's ALTERs of the other status tables must not wait on this lock while holding theirs.
        var loaders = await StatusDatabase.QueryAsync(
            connection, transaction,
            "SELECT run_id, source_name FROM migration_status.migration_table_loader WHERE target_schema = @schema AND table_name = @table FOR SHARE",
            p => p.WithText("schema", targetSchema).WithText("table", table),
            r => (RunId: r.GetGuid(0), SourceName: r.GetString(1)),
            cancellationToken).ConfigureAwait(false);

        // No loader row: no run has taken the table from this one (taking it inserts the row).
        if (loaders.Count == 0 || loaders[0].RunId == runId)
        {
            return;
        }

        var loader = loaders[0];
        throw new SfPgException(
            ErrorCatalog.TableSupersededByNewerRun,
            $"Table {targetSchema}.{table}: run {loader.RunId} (source '{loader.SourceName}') has taken it over from run {runId}, " +
            $"so run {runId} commits no more rows into it; this attempt's rows were rolled back. Let run {loader.RunId} finish the table, " +
            $"or re-plan it inside run {runId} with --force (-Force) once that run is done.",
            target: $"{targetSchema}.{table}",
            recommendedAction: null);
    }

    internal static SfPgException NoLongerOwned(Guid runId, string? table) =>
        new(ErrorCatalog.RunNoLongerOwned,
            $"Run {runId} is no longer running under this process (it was stopped, removed or taken over)" +
            (table is null ? "" : $"; table {table} is left untouched") + ".",
            target: runId.ToString(),
            recommendedAction: null);

    private static async Task<TableLoader?> ReadLoaderAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string targetSchema, string table, bool forUpdate, CancellationToken cancellationToken)
    {
        var rows = await StatusDatabase.QueryAsync(
            connection, transaction,
            $"""
            SELECT l.target_schema, l.table_name AS loader_table, l.run_id AS loader_run_id, l.source_name AS loader_source,
                   l.loading, l.planned_at AS loader_planned_at, r.run_id IS NOT NULL AS has_run, {StatusRows.RunColumns}
            FROM migration_status.migration_table_loader l
            LEFT JOIN migration_status.migration_runs r ON r.run_id = l.run_id
            WHERE l.target_schema = @schema AND l.table_name = @table
            {(forUpdate ? "FOR UPDATE OF l" : "")}
            """,
            p => p.WithText("schema", targetSchema).WithText("table", table),
            row => new TableLoader
            {
                TargetSchema = row.GetString(0),
                Table = row.GetString(1),
                RunId = row.GetGuid(2),
                SourceName = row.GetString(3),
                Loading = row.GetBoolean(4),
                PlannedAt = row.GetFieldValue<DateTimeOffset>(5),
                Run = row.GetBoolean(6) ? StatusRows.ReadRun(row) : null,
            },
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
