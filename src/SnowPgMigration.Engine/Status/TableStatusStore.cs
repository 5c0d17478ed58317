using Npgsql;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Status;

/// <summary>The tables of a run in <c>migration_table_status</c>: recorded before their chunks, started, finished.</summary>
public sealed class TableStatusStore
{
    private readonly StatusDatabase _database;

    internal TableStatusStore(StatusDatabase database) => _database = database;

    /// <summary>
    /// Records a table of a run as <c>pending</c>, or updates the facts of one already recorded (a null fact keeps
    /// what was there). A migration records a table's plan with <see cref="TableLoaderStore.RecordPlanAsync"/>; this
    /// is for a table that failed before its plan was recorded, so its failure has a row to land on.
    /// </summary>
    public async Task<TableStatusRecord> RecordTableAsync(TablePlanRow plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrEmpty(plan.Table);
        ArgumentException.ThrowIfNullOrEmpty(plan.SourceTable);
        ArgumentException.ThrowIfNullOrEmpty(plan.TargetSchema);
        try
        {
            await _database.ExecuteAsync(
                """
                INSERT INTO migration_status.migration_table_status AS t
                    (run_id, table_name, source_table, target_schema, load_method, strategy, source_row_count, status)
                VALUES (@run_id, @table, @source_table, @target_schema, @load_method, @strategy, @source_row_count, 'pending')
                ON CONFLICT (run_id, table_name) DO UPDATE
                SET source_table = excluded.source_table,
                    target_schema = excluded.target_schema,
                    load_method = coalesce(excluded.load_method, t.load_method),
                    strategy = coalesce(excluded.strategy, t.strategy),
                    source_row_count = coalesce(excluded.source_row_count, t.source_row_count),
                    updated_at = now()
                """,
                p => p.WithUuid("run_id", plan.RunId)
                    .WithText("table", plan.Table)
                    .WithText("source_table", plan.SourceTable)
                    .WithText("target_schema", plan.TargetSchema)
                    .WithText("load_method", plan.LoadMethod)
                    .WithText("strategy", plan.Strategy)
                    .WithBigint("source_row_count", plan.SourceRowCount),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new SfPgException(ErrorCatalog.RunNotFound, $"Table '{plan.Table}' cannot be recorded: no run has id {plan.RunId}.",
                plan.RunId.ToString(), recommendedAction: null, ex);
        }

        return await GetTableAsync(plan.RunId, plan.Table, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(plan.RunId, plan.Table);
    }

    /// <summary>Marks a table <c>in_progress</c>; its first start time is kept across resumes.</summary>
    public async Task StartTableAsync(Guid runId, string table, CancellationToken cancellationToken)
    {
        var updated = await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_table_status
            SET status = 'in_progress', started_at = coalesce(started_at, now()), completed_at = NULL, error = NULL, updated_at = now()
            WHERE run_id = @run_id AND table_name = @table
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table),
            cancellationToken).ConfigureAwait(false);
        if (updated != 1)
        {
            throw NotFound(runId, table);
        }
    }

    /// <summary>
    /// Records how a table ended: status, target count, verification, error, and rows copied summed
    /// from its completed chunks.
    /// </summary>
    public async Task<TableStatusRecord> FinishTableAsync(TableOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var final = outcome.Status is ProgressStatus.Completed or ProgressStatus.Failed or ProgressStatus.Incomplete;
        var updated = await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_table_status t
            SET status = @status,
                completed_at = CASE WHEN @final THEN now() END,
                target_row_count = coalesce(@target_row_count, t.target_row_count),
                source_row_count = coalesce(@source_row_count, t.source_row_count),
                verify_method = coalesce(@verify_method, t.verify_method),
                differing_ranges = coalesce(@differing_ranges::jsonb, t.differing_ranges),
                verification = coalesce(@verification, t.verification),
                verified_at = CASE WHEN @verification IS NULL THEN t.verified_at ELSE now() END,
                error = @error,
                rows_copied = (SELECT coalesce(sum(c.rows_copied), 0) FROM migration_status.migration_chunk_status c
                               WHERE c.run_id = t.run_id AND c.table_name = t.table_name AND c.status = 'completed'),
                updated_at = now()
            WHERE t.run_id = @run_id AND t.table_name = @table
            """,
            p => p.WithUuid("run_id", outcome.RunId)
                .WithText("table", outcome.Table)
                .WithText("status", StatusText.ToText(outcome.Status))
                .WithBool("final", final)
                .WithBigint("target_row_count", outcome.TargetRowCount)
                .WithBigint("source_row_count", outcome.SourceRowCount)
                .WithText("verify_method", outcome.VerifyMethod)
                .WithText("differing_ranges", outcome.DifferingRangesJson)
                .WithText("verification", outcome.Verification)
                .WithText("error", StatusDatabase.Clip(outcome.Error)),
            cancellationToken).ConfigureAwait(false);
        if (updated != 1)
        {
            throw NotFound(outcome.RunId, outcome.Table);
        }

        return await GetTableAsync(outcome.RunId, outcome.Table, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(outcome.RunId, outcome.Table);
    }

    /// <summary>One table of a run with its chunk counts, or null.</summary>
    public async Task<TableStatusRecord?> GetTableAsync(Guid runId, string table, CancellationToken cancellationToken)
    {
        var rows = await _database.QueryAsync(
            $"""
            SELECT {StatusRows.TableColumns} FROM {StatusRows.TableFrom}
            WHERE t.run_id = @run_id AND t.table_name = @table
            {StatusRows.TableGroupBy}
            """,
            p => p.WithUuid("run_id", runId).WithText("table", table),
            StatusRows.ReadTable,
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static SfPgException NotFound(Guid runId, string table) =>
        new(ErrorCatalog.TableStatusNotFound, $"Table '{table}' is not recorded in run {runId}.", table, recommendedAction: null);
}
