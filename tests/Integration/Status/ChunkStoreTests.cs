using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class ChunkStoreTests
{
    [Fact]
    public async Task Planned_chunks_are_recorded_in_bulk_once_with_their_bounds()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 250);

        var again = await db.Store.Chunks.RecordChunksAsync(
            run.RunId, "orders", [new PlannedChunkRow(1, "other", "x", null, 1), new PlannedChunkRow(251, "ntile", "\"ID\" > 25000", null, null)],
            CancellationToken.None);

        again.Should().Be(1, "chunk 1 exists and is kept as planned");
        var chunks = await db.Store.Chunks.ListChunksAsync(run.RunId, "orders", CancellationToken.None);
        chunks.Should().HaveCount(251);
        chunks.Should().OnlyContain(c => c.Status == ProgressStatus.Pending && c.Attempts == 0);
        chunks[0].Strategy.Should().Be("ntile");
        chunks[0].Predicate.Should().Be("\"ID\" > 0 AND \"ID\" <= 100");
        JsonDocument.Parse(chunks[1].BoundsJson!).RootElement.GetProperty("upper").GetInt32().Should().Be(200);
        chunks[250].BoundsJson.Should().BeNull();
        (await db.Store.Tables.GetTableAsync(run.RunId, "orders", CancellationToken.None))!.Chunks.Total.Should().Be(251);
        (await db.ScalarAsync<int>("SELECT chunks_total FROM migration_status.migration_table_status")).Should().Be(251);
    }

    [Fact]
    public async Task Chunks_of_an_unrecorded_table_are_refused()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders");

        var act = () => db.Store.Chunks.RecordChunksAsync(run.RunId, "nope", [new PlannedChunkRow(1, "single", null, null, null)], CancellationToken.None);

        (await act.Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.TableStatusNotFound);
    }

    [Fact]
    public async Task Concurrent_workers_never_claim_the_same_chunk()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 300);
        await db.AddTableAsync(run.RunId, "customers", chunkCount: 100);
        var claims = new ConcurrentBag<ChunkClaim>();

        // Eight workers, each claiming on its own pooled connection as fast as it can.
        var workers = Enumerable.Range(1, 8).Select(w => Task.Run(async () =>
        {
            while (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, null, $"worker-{w}", CancellationToken.None) is { } claim)
            {
                claims.Add(claim);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        claims.Should().HaveCount(400);
        claims.Select(c => (c.Table, c.ChunkId)).Should().OnlyHaveUniqueItems();
        claims.Select(c => c.ClaimId).Should().OnlyHaveUniqueItems();
        claims.Select(c => c.WorkerId).Distinct().Should().HaveCountGreaterThan(1, "the workers shared the chunks");
        var stored = await db.Store.Administration.ListChunksAsync(new ChunkQuery { RunId = run.RunId }, CancellationToken.None);
        stored.Should().HaveCount(400).And.OnlyContain(c => c.Status == ProgressStatus.InProgress && c.Attempts == 1 && c.WorkerId != null);
        foreach (var claim in claims)
        {
            stored.Single(c => c.Table == claim.Table && c.ChunkId == claim.ChunkId).WorkerId.Should().Be(claim.WorkerId);
        }
    }

    [Fact]
    public async Task Claims_follow_the_table_filter_and_chunk_order_and_stop_when_the_run_is_not_running()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        await db.AddTableAsync(run.RunId, "customers", chunkCount: 3);

        var first = await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None);
        var second = await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None);
        first!.Table.Should().Be("orders");
        (first.ChunkId, second!.ChunkId).Should().Be((1, 2));
        first.Chunk.Status.Should().Be(ProgressStatus.InProgress);
        first.Attempt.Should().Be(1);

        await db.Store.Administration.StopRunAsync(run.RunId, "maintenance", RunStopMode.Cancel, CancellationToken.None);
        (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, null, "w1", CancellationToken.None)).Should().BeNull();

        await db.Store.Runs.ResumeRunAsync(run.RunId, CancellationToken.None);
        (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "customers", "w1", CancellationToken.None))!.Table.Should().Be("customers");
    }

    [Fact]
    public async Task Completion_commits_with_the_callers_rows_and_rolls_back_with_them()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        await db.ExecuteAsync("CREATE TABLE public.orders (id int)");
        var claim = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None))!;

        await using (var connection = await db.Store.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand("INSERT INTO public.orders SELECT generate_series(1, 100)", connection, transaction);
            await insert.ExecuteNonQueryAsync();
            await ChunkStore.MarkChunkCompletedAsync(transaction, claim, 100, "sum:5050", CancellationToken.None);
            await transaction.RollbackAsync();
        }

        var afterRollback = (await db.Store.Chunks.ListChunksAsync(run.RunId, "orders", CancellationToken.None))[0];
        afterRollback.Status.Should().Be(ProgressStatus.InProgress);
        afterRollback.RowsCopied.Should().Be(0);
        afterRollback.Checksum.Should().BeNull();
        (await db.ScalarAsync<long>("SELECT count(*) FROM public.orders")).Should().Be(0);

        await using (var connection = await db.Store.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand("INSERT INTO public.orders SELECT generate_series(1, 100)", connection, transaction);
            await insert.ExecuteNonQueryAsync();
            await ChunkStore.MarkChunkCompletedAsync(transaction, claim, 100, "sum:5050", CancellationToken.None);
            await transaction.CommitAsync();
        }

        var afterCommit = (await db.Store.Chunks.ListChunksAsync(run.RunId, "orders", CancellationToken.None))[0];
        afterCommit.Status.Should().Be(ProgressStatus.Completed);
        afterCommit.RowsCopied.Should().Be(100);
        afterCommit.Checksum.Should().Be("sum:5050");
        afterCommit.CompletedAt.Should().NotBeNull();
        (await db.ScalarAsync<long>("SELECT count(*) FROM public.orders")).Should().Be(100);
    }

    [Fact]
    public async Task Stale_claims_are_taken_over_and_the_old_worker_can_no_longer_commit()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        var hung = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "hung-worker", CancellationToken.None))!;
        var alive = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "live-worker", CancellationToken.None))!;
        await db.ExecuteAsync(
            "UPDATE migration_status.migration_chunk_status SET heartbeat_at = now() - interval '20 minutes' WHERE chunk_id = @id",
            ("id", hung.ChunkId));

        var stale = await db.Store.Administration.ListChunksAsync(
            new ChunkQuery { RunId = run.RunId, StaleAfter = TimeSpan.FromMinutes(10) }, CancellationToken.None);
        stale.Select(c => c.ChunkId).Should().Equal(hung.ChunkId);

        var takenOver = await db.Store.Chunks.ReleaseStaleClaimsAsync(run.RunId, TimeSpan.FromMinutes(10), CancellationToken.None);

        takenOver.Select(c => c.ChunkId).Should().Equal(hung.ChunkId);
        takenOver[0].Status.Should().Be(ProgressStatus.Pending);
        takenOver[0].ErrorHistoryJson.Should().Contain("claim_taken_over").And.Contain("hung-worker");
        using (var history = JsonDocument.Parse(takenOver[0].ErrorHistoryJson))
        {
            var entry = history.RootElement.EnumerateArray().Last();
            entry.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["at", "event", "attempt", "worker_id", "heartbeat_at"],
                "a stale claim's take-over has no reason; only a claim of an ended process says why");
        }

        (await db.Store.Chunks.HeartbeatChunkAsync(alive, CancellationToken.None)).Should().BeTrue();
        (await db.Store.Chunks.HeartbeatChunkAsync(hung, CancellationToken.None)).Should().BeFalse();

        var retaken = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "new-worker", CancellationToken.None))!;
        retaken.ChunkId.Should().Be(hung.ChunkId);
        retaken.Attempt.Should().Be(2);

        await using (var connection = await db.Store.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var act = () => ChunkStore.MarkChunkCompletedAsync(transaction, hung, 100, null, CancellationToken.None);
            (await act.Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.ChunkClaimLost);
        }

        (await db.Store.Chunks.MarkChunkFailedAsync(hung, "late failure", CancellationToken.None)).Should().BeFalse();
        var chunk = (await db.Store.Chunks.ListChunksAsync(run.RunId, "orders", CancellationToken.None)).Single(c => c.ChunkId == hung.ChunkId);
        chunk.Status.Should().Be(ProgressStatus.InProgress);
        chunk.WorkerId.Should().Be("new-worker");
    }

    [Fact]
    public async Task Failed_attempts_go_to_the_history_and_failed_chunks_are_requeued_for_resume()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 1);

        var first = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None))!;
        (await db.Store.Chunks.ReleaseChunkForRetryAsync(first, "connection reset", CancellationToken.None)).Should().BeTrue();
        var second = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w2", CancellationToken.None))!;
        second.Attempt.Should().Be(2);
        (await db.Store.Chunks.MarkChunkFailedAsync(second, "value 'x' does not fit column \"ID\"", CancellationToken.None)).Should().BeTrue();

        var failed = (await db.Store.Chunks.ListChunksAsync(run.RunId, "orders", CancellationToken.None))[0];
        failed.Status.Should().Be(ProgressStatus.Failed);
        failed.Error.Should().Be("value 'x' does not fit column \"ID\"");
        failed.Attempts.Should().Be(2);
        var history = JsonDocument.Parse(failed.ErrorHistoryJson).RootElement.EnumerateArray().ToList();
        history.Select(h => h.GetProperty("event").GetString()).Should().Equal("retry", "failed");
        history[0].GetProperty("error").GetString().Should().Be("connection reset");
        history[0].GetProperty("worker_id").GetString().Should().Be("w1");
        (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w3", CancellationToken.None)).Should().BeNull();

        (await db.Store.Chunks.RequeueFailedChunksAsync(run.RunId, CancellationToken.None)).Should().Be(1);
        var third = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w3", CancellationToken.None))!;
        third.Attempt.Should().Be(3);
    }
}
