using Npgsql;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Unload;

/// <summary>
/// The stage folders of unloaded tables in <c>migration_status.migration_unload_folders</c>, one per run and target
/// table: recorded before the first chunk is unloaded, so a folder whose run stopped before recording its files
/// (or before deleting them) is still known, and the next run that loads the table can delete it.
/// </summary>
public sealed class UnloadFolderStore
{
    public const string InStage = "in_stage";
    public const string Deleted = "deleted";
    public const string Kept = "kept";

    private readonly StatusDatabase _database;

    public UnloadFolderStore(NpgsqlDataSource dataSource) => _database = new StatusDatabase(dataSource);

    /// <summary>
    /// Records the run's folder of the table (once; a resumed or joined run finds it recorded). A folder emptied
    /// earlier is in the stage again, since the table is about to be unloaded into it anew (a run resumed with
    /// --force after a newer run deleted its files).
    /// </summary>
    public async Task RecordAsync(Guid runId, string schema, string table, string folder, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            """
            INSERT INTO migration_status.migration_unload_folders (run_id, target_schema, table_name, folder)
            VALUES (@run_id, @schema, @table, @folder)
            ON CONFLICT (run_id, target_schema, table_name) DO UPDATE SET state = 'in_stage', cleared_at = NULL
            WHERE migration_unload_folders.state = 'deleted'
            """,
            p => p.WithUuid("run_id", runId).WithText("schema", schema).WithText("table", table).WithText("folder", folder),
            cancellationToken).ConfigureAwait(false);

    /// <summary>The state of the run's folder of the table; null when none was recorded.</summary>
    public async Task<string?> StateAsync(Guid runId, string schema, string table, CancellationToken cancellationToken)
    {
        var states = await _database.QueryAsync(
            "SELECT state FROM migration_status.migration_unload_folders WHERE run_id = @run_id AND target_schema = @schema AND table_name = @table",
            p => p.WithUuid("run_id", runId).WithText("schema", schema).WithText("table", table),
            r => r.GetString(0),
            cancellationToken).ConfigureAwait(false);
        return states.Count == 1 ? states[0] : null;
    }

    /// <summary>Marks the run's folder of the table deleted or kept.</summary>
    public async Task MarkAsync(Guid runId, string schema, string table, string state, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_unload_folders SET state = @state, cleared_at = now()
            WHERE run_id = @run_id AND target_schema = @schema AND table_name = @table
            """,
            p => p.WithUuid("run_id", runId).WithText("schema", schema).WithText("table", table).WithText("state", state),
            cancellationToken).ConfigureAwait(false);

    /// <summary>Folders of the table that runs other than <paramref name="runId"/> left in the stage, oldest first.</summary>
    public async Task<IReadOnlyList<(Guid RunId, string Folder)>> LeftByOtherRunsAsync(Guid runId, string schema, string table, CancellationToken cancellationToken) =>
        await _database.QueryAsync(
            """
            SELECT run_id, folder FROM migration_status.migration_unload_folders
            WHERE target_schema = @schema AND table_name = @table AND state = 'in_stage' AND run_id <> @run_id
            ORDER BY recorded_at
            """,
            p => p.WithUuid("run_id", runId).WithText("schema", schema).WithText("table", table),
            r => (r.GetGuid(0), r.GetString(1)),
            cancellationToken).ConfigureAwait(false);
}
