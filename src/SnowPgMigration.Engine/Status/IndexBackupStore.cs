using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Index and constraint definitions in <c>migration_index_backup</c>: saved before they are dropped,
/// marked dropped and restored, and listed by any later run so a crash never loses them.
/// </summary>
public sealed class IndexBackupStore
{
    private readonly StatusDatabase _database;

    internal IndexBackupStore(StatusDatabase database) => _database = database;

    /// <summary>
    /// Saves definitions for a run. A definition already saved under the same run, table, kind and
    /// name is kept unchanged while it waits to be restored: that copy is the original, taken before
    /// anything was dropped. One already restored is live again, so a resumed run about to drop it once
    /// more refreshes it from what the table has now.
    /// </summary>
    /// <returns>How many were new or refreshed.</returns>
    public async Task<int> SaveAsync(Guid runId, IReadOnlyList<IndexDefinition> definitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        if (definitions.Count == 0)
        {
            return 0;
        }

        try
        {
            return await _database.ExecuteAsync(
                """
                INSERT INTO migration_status.migration_index_backup
                    (run_id, target_schema, table_name, object_kind, object_name, definition)
                SELECT @run_id, d.target_schema, d.table_name, d.object_kind, d.object_name, d.definition
                FROM unnest(@schemas, @tables, @kinds, @names, @definitions)
                     AS d(target_schema, table_name, object_kind, object_name, definition)
                ON CONFLICT (run_id, target_schema, table_name, object_kind, object_name) DO UPDATE
                    SET definition = EXCLUDED.definition, saved_at = now()
                    WHERE migration_index_backup.restored_at IS NOT NULL
                """,
                p => p.WithUuid("run_id", runId)
                    .With("schemas", NpgsqlDbType.Array | NpgsqlDbType.Text, definitions.Select(d => d.TargetSchema).ToArray())
                    .With("tables", NpgsqlDbType.Array | NpgsqlDbType.Text, definitions.Select(d => d.Table).ToArray())
                    .With("kinds", NpgsqlDbType.Array | NpgsqlDbType.Text, definitions.Select(d => StatusText.ToText(d.Kind)).ToArray())
                    .With("names", NpgsqlDbType.Array | NpgsqlDbType.Text, definitions.Select(d => d.Name).ToArray())
                    .With("definitions", NpgsqlDbType.Array | NpgsqlDbType.Text, definitions.Select(d => d.Definition).ToArray()),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw RunStore.NotFound(runId);
        }
    }

    /// <summary>
    /// Notes that a saved object was dropped (again, on a resume: it is no longer restored); pass the
    /// transaction that dropped it to commit both together.
    /// </summary>
    public Task<bool> MarkDroppedAsync(IndexBackupRecord backup, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        MarkAsync(backup, "dropped_at = now(), restored_at = NULL, restore_error = NULL", null, transaction, cancellationToken);

    /// <summary>Notes that a saved object was recreated; pass the transaction that recreated it to commit both together.</summary>
    public Task<bool> MarkRestoredAsync(IndexBackupRecord backup, NpgsqlTransaction? transaction, CancellationToken cancellationToken) =>
        MarkAsync(backup, "restored_at = now(), restore_error = NULL", null, transaction, cancellationToken);

    /// <summary>Records why a saved object could not be recreated; the row stays unrestored, so it is restored later.</summary>
    public Task<bool> MarkRestoreFailedAsync(IndexBackupRecord backup, string error, CancellationToken cancellationToken) =>
        MarkAsync(backup, "restore_error = @error", error, null, cancellationToken);

    /// <summary>The saved definitions of a run (or of every run when null), optionally of one table, optionally only those not yet restored.</summary>
    public async Task<IReadOnlyList<IndexBackupRecord>> ListAsync(
        Guid? runId, string? targetSchema, string? table, bool unrestoredOnly, CancellationToken cancellationToken)
    {
        return await _database.QueryAsync(
            $"""
            SELECT {StatusRows.IndexBackupColumns} FROM migration_status.migration_index_backup b
            WHERE (@run_id IS NULL OR b.run_id = @run_id)
              AND (@schema IS NULL OR b.target_schema = @schema)
              AND (@table IS NULL OR b.table_name = @table)
              AND (NOT @unrestored_only OR b.restored_at IS NULL)
            ORDER BY b.saved_at, b.target_schema, b.table_name,
                     CASE b.object_kind WHEN 'primary_key' THEN 0 WHEN 'unique' THEN 1 WHEN 'index' THEN 2
                                        WHEN 'check' THEN 3 WHEN 'exclusion' THEN 4 ELSE 5 END,
                     b.object_name
            """,
            p => p.WithUuid("run_id", runId).WithText("schema", targetSchema).WithText("table", table).WithBool("unrestored_only", unrestoredOnly),
            StatusRows.ReadIndexBackup,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> MarkAsync(
        IndexBackupRecord backup, string assignments, string? error, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var sql = $"""
            UPDATE migration_status.migration_index_backup SET {assignments}
            WHERE run_id = @run_id AND target_schema = @schema AND table_name = @table
              AND object_kind = @kind AND object_name = @name
            """;
        void Bind(NpgsqlParameterCollection p) => p.WithUuid("run_id", backup.RunId)
            .WithText("schema", backup.TargetSchema)
            .WithText("table", backup.Table)
            .WithText("kind", StatusText.ToText(backup.Kind))
            .WithText("name", backup.Name)
            .WithText("error", error);

        int updated;
        if (transaction is null)
        {
            updated = await _database.ExecuteAsync(sql, Bind, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var connection = transaction.Connection
                ?? throw new ArgumentException("The transaction is already committed or rolled back.", nameof(transaction));
            updated = await StatusDatabase.ExecuteAsync(connection, transaction, sql, Bind, cancellationToken).ConfigureAwait(false);
        }

        return updated == 1;
    }
}
