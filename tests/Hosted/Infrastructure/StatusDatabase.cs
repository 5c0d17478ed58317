using Npgsql;

namespace SnowPgMigration.Tests.Hosted.Infrastructure;

/// <summary>A fresh database on the shared server, for the status cmdlets to install their schema in.</summary>
public static class StatusDatabase
{
    public static Task<string> CreateAsync() => PostgresServer.CreateDatabaseAsync("hosted");

    /// <summary>A running run of table orders with chunks 1 (completed), 2 and 3 (failed) and 4 (pending).</summary>
    public static async Task<Guid> ArrangeRunAsync(string connectionString)
    {
        var runId = Guid.NewGuid();
        await Sql.ExecuteAsync(connectionString, $"""
            INSERT INTO migration_status.migration_runs (run_id, source_name, config_hash, status, started_at, heartbeat_at)
            VALUES ('{runId}', 'analytics', 'h', 'running', now() - interval '3 hours', now());
            INSERT INTO migration_status.migration_table_status (run_id, table_name, source_table, target_schema, status, load_method, strategy)
            VALUES ('{runId}', 'orders', 'ANALYTICS.BI.ORDERS', 'public', 'in_progress', 'copy', 'key_range');
            INSERT INTO migration_status.migration_chunk_status (run_id, table_name, chunk_id, strategy, expected_rows, rows_copied, status, attempts, error)
            VALUES ('{runId}', 'orders', 1, 'key_range', 100, 100, 'completed', 1, NULL),
                   ('{runId}', 'orders', 2, 'key_range', 100, 0, 'failed', 3, 'connection reset'),
                   ('{runId}', 'orders', 3, 'key_range', 100, 0, 'failed', 3, 'value out of range'),
                   ('{runId}', 'orders', 4, 'key_range', 100, 0, 'pending', 0, NULL);
            """);
        return runId;
    }
}
