using Npgsql;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

/// <summary>A fresh database with the status schema installed, its store, and raw SQL for arranging and checking.</summary>
internal sealed class StatusTestDatabase : IAsyncDisposable
{
    private StatusTestDatabase(string connectionString, StatusStore store)
    {
        ConnectionString = connectionString;
        Store = store;
    }

    public string ConnectionString { get; }

    public StatusStore Store { get; }

    public static async Task<StatusTestDatabase> CreateAsync(bool installSchema = true)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("st");
        var store = StatusStore.Create(connectionString);
        if (installSchema)
        {
            await store.InstallSchemaAsync(CancellationToken.None);
        }

        return new StatusTestDatabase(connectionString, store);
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Store.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Store.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Creates a run with one table and <paramref name="chunkCount"/> pending chunks of 100 expected rows each.</summary>
    public async Task<RunRecord> CreateRunWithChunksAsync(
        string table = "orders", int chunkCount = 4, string source = "analytics", string configHash = "hash-1")
    {
        var run = await Store.Runs.CreateRunAsync(new NewRun { SourceName = source, ConfigHash = configHash }, CancellationToken.None);
        await AddTableAsync(run.RunId, table, chunkCount);
        return run;
    }

    public async Task AddTableAsync(Guid runId, string table, int chunkCount, long? sourceRowCount = null)
    {
        await Store.Tables.RecordTableAsync(
            new TablePlanRow
            {
                RunId = runId,
                Table = table,
                SourceTable = table.ToUpperInvariant(),
                TargetSchema = "public",
                LoadMethod = "copy",
                Strategy = "ntile",
                SourceRowCount = sourceRowCount,
            },
            CancellationToken.None);
        var chunks = Enumerable.Range(1, chunkCount)
            .Select(i => new PlannedChunkRow(i, "ntile", $"\"ID\" > {(i - 1) * 100} AND \"ID\" <= {i * 100}", $"{{\"lower\": {(i - 1) * 100}, \"upper\": {i * 100}}}", 100))
            .ToList();
        await Store.Chunks.RecordChunksAsync(runId, table, chunks, CancellationToken.None);
    }

    /// <summary>Claims and completes every pending chunk of a table with 100 rows each.</summary>
    public async Task CompleteAllChunksAsync(Guid runId, string table)
    {
        while (await Store.Chunks.ClaimNextChunkAsync(runId, table, "worker-complete", CancellationToken.None) is { } claim)
        {
            await using var connection = await Store.DataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await ChunkStore.MarkChunkCompletedAsync(transaction, claim, 100, "c" + claim.ChunkId, CancellationToken.None);
            await transaction.CommitAsync();
        }
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
