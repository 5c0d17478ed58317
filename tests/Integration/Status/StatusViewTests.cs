using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class StatusViewTests
{
    [Fact]
    public async Task Active_migrations_show_running_runs_with_their_chunk_progress()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var active = await db.CreateRunWithChunksAsync("orders", chunkCount: 4);
        await db.CompleteAllChunksAsync(active.RunId, "orders");
        await db.AddTableAsync(active.RunId, "customers", chunkCount: 2);
        await db.Store.Chunks.ClaimNextChunkAsync(active.RunId, "customers", "w", CancellationToken.None);
        var finished = await db.CreateRunWithChunksAsync("orders", chunkCount: 1);
        await db.Store.Runs.FinishRunAsync(finished.RunId, RunStatus.Failed, "x", CancellationToken.None);

        await using var command = db.Store.DataSource.CreateCommand(
            "SELECT run_id, source_name, tables_total, chunks_total, chunks_completed, chunks_in_progress, chunks_pending, rows_copied, heartbeat_age < interval '1 minute' " +
            "FROM migration_status.v_active_migrations");
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        reader.GetGuid(0).Should().Be(active.RunId);
        reader.GetString(1).Should().Be("analytics");
        reader.GetInt64(2).Should().Be(2);
        reader.GetInt64(3).Should().Be(6);
        reader.GetInt64(4).Should().Be(4);
        reader.GetInt64(5).Should().Be(1);
        reader.GetInt64(6).Should().Be(1);
        reader.GetInt64(7).Should().Be(400);
        reader.GetBoolean(8).Should().BeTrue();
        (await reader.ReadAsync()).Should().BeFalse("finished runs are not active");
    }

    [Fact]
    public async Task Table_progress_shows_every_table_with_counts_rows_and_percent()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 4);
        await db.AddTableAsync(run.RunId, "customers", chunkCount: 0, sourceRowCount: 10);
        var claim = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w", CancellationToken.None))!;
        await using (var connection = await db.Store.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ChunkStore.MarkChunkCompletedAsync(transaction, claim, 97, null, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var failing = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w", CancellationToken.None))!;
        await db.Store.Chunks.MarkChunkFailedAsync(failing, "boom", CancellationToken.None);

        await using var command = db.Store.DataSource.CreateCommand(
            "SELECT table_name, source_table, chunks_total, chunks_completed, chunks_failed, chunks_pending, rows_copied, rows_expected, percent_complete::float8 " +
            "FROM migration_status.v_table_progress ORDER BY table_name");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, long, long, long, long, long, long, double?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7), reader.IsDBNull(8) ? null : reader.GetDouble(8)));
        }

        rows.Should().Equal(
            ("customers", "CUSTOMERS", 0L, 0L, 0L, 0L, 0L, 10L, (double?)null),
            ("orders", "ORDERS", 4L, 1L, 1L, 2L, 97L, 400L, 25.0));
    }
}
