using Npgsql;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// What verify and repair read from and write to the status schema: the chunks of the latest run that planned a table
/// over its whole key space, and the marks that make a run a repair of some of its ranges.
/// </summary>
public sealed class VerificationStatusStore
{
    private readonly StatusDatabase _database;

    public VerificationStatusStore(NpgsqlDataSource dataSource) => _database = new StatusDatabase(dataSource);

    /// <summary>
    /// The chunks of the newest migration run of <paramref name="sourceName"/> that planned the table over its whole key
    /// space (no watermark limit), with that run's id; null when no such run is recorded.
    /// </summary>
    public async Task<(Guid RunId, IReadOnlyList<ChunkRecord> Chunks)?> LatestWholeTableChunksAsync(
        string sourceName, string targetSchema, string table, CancellationToken cancellationToken)
    {
        var runs = await _database.QueryAsync(
            """
            SELECT t.run_id FROM migration_status.migration_table_status t
            JOIN migration_status.migration_runs r ON r.run_id = t.run_id
            WHERE r.source_name = @source AND t.target_schema = @schema AND t.table_name = @table
              AND t.planned_at IS NOT NULL AND r.run_kind = 'migration'
              AND EXISTS (SELECT 1 FROM migration_status.migration_chunk_status c WHERE c.run_id = t.run_id AND c.table_name = t.table_name)
              AND NOT EXISTS (SELECT 1 FROM migration_status.migration_chunk_status c
                              WHERE c.run_id = t.run_id AND c.table_name = t.table_name AND c.bounds ? 'watermark_column')
            ORDER BY t.planned_at DESC
            LIMIT 1
            """,
            p => p.WithText("source", sourceName).WithText("schema", targetSchema).WithText("table", table),
            row => row.GetGuid(0),
            cancellationToken).ConfigureAwait(false);
        if (runs.Count == 0)
        {
            return null;
        }

        var chunks = await new ChunkStore(_database).ListChunksAsync(runs[0], table, cancellationToken).ConfigureAwait(false);
        return (runs[0], chunks);
    }

    /// <summary>Marks a run as a repair (<c>run_kind</c>), so a migration never resumes or reads its ranges as a plan.</summary>
    public async Task MarkRepairRunAsync(Guid runId, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            "UPDATE migration_status.migration_runs SET run_kind = 'repair' WHERE run_id = @run_id",
            p => p.WithUuid("run_id", runId),
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Of a repair run's recorded ranges, those to re-load stay pending and replace their rows; the others are
    /// recorded completed without rows, kept only so a remainder range knows the values the others hold.
    /// </summary>
    public async Task SelectRangesToReloadAsync(Guid runId, string table, IReadOnlyCollection<int> reload, CancellationToken cancellationToken) =>
        await _database.ExecuteAsync(
            """
            UPDATE migration_status.migration_chunk_status
            SET replace_rows = (chunk_id = ANY(@reload)),
                status = CASE WHEN chunk_id = ANY(@reload) THEN 'pending' ELSE 'completed' END,
                completed_at = CASE WHEN chunk_id = ANY(@reload) THEN NULL ELSE now() END
            WHERE run_id = @run_id AND table_name = @table
            """,
            p =>
            {
                p.WithUuid("run_id", runId).WithText("table", table);
                p.Add(new NpgsqlParameter("reload", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer) { Value = reload.ToArray() });
            },
            cancellationToken).ConfigureAwait(false);
}
