using System.Text.Json;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class StatusAdministrationTests
{
    [Fact]
    public async Task Runs_are_listed_newest_first_by_source_status_id_last_and_staleness()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var oldFailed = await RunStoreTests.NewRunAsync(db, "analytics", "h", startedHoursAgo: 30, RunStatus.Failed);
        var stuck = await RunStoreTests.NewRunAsync(db, "analytics", "h", startedHoursAgo: 3, RunStatus.Running);
        var billing = await RunStoreTests.NewRunAsync(db, "billing", "h", startedHoursAgo: 2, RunStatus.Completed);
        var live = (await db.Store.Runs.CreateRunAsync(new NewRun { SourceName = "analytics", ConfigHash = "h" }, CancellationToken.None)).RunId;
        var admin = db.Store.Administration;

        (await admin.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(r => r.RunId).Should().Equal(live, billing, stuck, oldFailed);
        (await admin.ListRunsAsync(new RunQuery { Source = "analytics" }, CancellationToken.None)).Select(r => r.RunId).Should().Equal(live, stuck, oldFailed);
        (await admin.ListRunsAsync(new RunQuery { Status = RunStatus.Running }, CancellationToken.None)).Select(r => r.RunId).Should().Equal(live, stuck);
        (await admin.ListRunsAsync(new RunQuery { Last = 2 }, CancellationToken.None)).Select(r => r.RunId).Should().Equal(live, billing);
        (await admin.ListRunsAsync(new RunQuery { RunId = billing }, CancellationToken.None)).Single().SourceName.Should().Be("billing");
        var stale = await admin.ListRunsAsync(new RunQuery { StaleAfter = TimeSpan.FromMinutes(15) }, CancellationToken.None);
        stale.Select(r => r.RunId).Should().Equal(stuck);
        stale[0].HeartbeatAge.Should().BeGreaterThan(TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task The_run_summary_counts_tables_and_chunks_and_estimates_time_left()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 4);
        await db.AddTableAsync(run.RunId, "customers", chunkCount: 4, sourceRowCount: 400);
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        await db.Store.Tables.FinishTableAsync(
            new TableOutcome { RunId = run.RunId, Table = "orders", Status = ProgressStatus.Completed }, CancellationToken.None);
        var claim = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "customers", "w", CancellationToken.None))!;
        await db.Store.Chunks.MarkChunkFailedAsync(claim, "bad value", CancellationToken.None);
        await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "customers", "w", CancellationToken.None);
        await db.ExecuteAsync("UPDATE migration_status.migration_runs SET started_at = now() - interval '100 seconds'");

        var summary = await db.Store.Administration.GetRunSummaryAsync(run.RunId, CancellationToken.None);
        // The server's clock ran on while the summary was read: its elapsed time lies between 100 s and the age now.
        var ageAfter = await db.ScalarAsync<TimeSpan>($"SELECT now() - started_at FROM migration_status.migration_runs WHERE run_id = '{run.RunId}'");

        summary.Tables.Should().Be(new StatusCounts(Pending: 1, InProgress: 0, Completed: 1, Failed: 0, Incomplete: 0));
        summary.Chunks.Should().Be(new StatusCounts(Pending: 2, InProgress: 1, Completed: 4, Failed: 1, Incomplete: 0));
        summary.Chunks[ProgressStatus.Completed].Should().Be(4);
        summary.PercentComplete.Should().Be(50);
        summary.RowsCopied.Should().Be(400);
        summary.RowsExpected.Should().Be(800);
        summary.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(100)).And.BeLessThanOrEqualTo(ageAfter);
        summary.RowsPerSecond.Should().BeApproximately(400 / summary.Elapsed.TotalSeconds, 1e-9);
        summary.EstimatedTimeLeft.Should().BeCloseTo(TimeSpan.FromSeconds(400 / summary.RowsPerSecond!.Value), TimeSpan.FromMilliseconds(1));

        await db.Store.Runs.FinishRunAsync(run.RunId, RunStatus.CompletedWithErrors, null, CancellationToken.None);
        (await db.Store.Administration.GetRunSummaryAsync(run.RunId, CancellationToken.None)).EstimatedTimeLeft.Should().BeNull();
        (await db.Store.Administration.Invoking(a => a.GetRunSummaryAsync(Guid.NewGuid(), CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.RunNotFound);
    }

    [Fact]
    public async Task Tables_and_chunks_are_listed_by_run_table_name_either_side_and_status()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        await db.AddTableAsync(run.RunId, "customers", chunkCount: 2);
        var other = await db.CreateRunWithChunksAsync("orders", chunkCount: 1);
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        await db.Store.Tables.FinishTableAsync(
            new TableOutcome
            {
                RunId = run.RunId, Table = "orders", Status = ProgressStatus.Incomplete, TargetRowCount = 290,
                Verification = "rows differ: source 300, target 290",
            },
            CancellationToken.None);
        var admin = db.Store.Administration;

        var tables = await admin.ListTablesAsync(new TableQuery { RunId = run.RunId }, CancellationToken.None);
        tables.Select(t => t.Table).Should().Equal("customers", "orders");
        var orders = tables.Single(t => t.Table == "orders");
        orders.Status.Should().Be(ProgressStatus.Incomplete);
        orders.Verification.Should().Be("rows differ: source 300, target 290");
        orders.VerifiedAt.Should().NotBeNull();
        orders.TargetRowCount.Should().Be(290);
        orders.RowsCopied.Should().Be(300);
        orders.Chunks.Completed.Should().Be(3);
        (await admin.ListTablesAsync(new TableQuery { Table = "ORDERS" }, CancellationToken.None)).Select(t => t.RunId)
            .Should().Equal(other.RunId, run.RunId);
        (await admin.ListTablesAsync(new TableQuery { Status = ProgressStatus.Incomplete }, CancellationToken.None)).Single().Table.Should().Be("orders");

        (await admin.ListChunksAsync(new ChunkQuery { RunId = run.RunId, Table = "customers" }, CancellationToken.None))
            .Select(c => c.ChunkId).Should().Equal(1, 2);
        (await admin.ListChunksAsync(new ChunkQuery { Table = "ORDERS", Status = ProgressStatus.Pending }, CancellationToken.None))
            .Should().ContainSingle().Which.RunId.Should().Be(other.RunId);
        (await admin.ListChunksAsync(new ChunkQuery { Status = ProgressStatus.Completed, Limit = 2 }, CancellationToken.None)).Should().HaveCount(2);
    }

    [Fact]
    public async Task Resetting_a_failed_chunk_makes_it_pending_with_attempts_cleared_and_error_kept_in_history()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        var claim = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None))!;
        await db.Store.Chunks.MarkChunkFailedAsync(claim, "numeric field overflow in column \"AMOUNT\"", CancellationToken.None);

        var result = await db.Store.Administration.ResetChunkAsync(run.RunId, "orders", claim.ChunkId, force: false, CancellationToken.None);

        result.Changed.Should().BeTrue();
        result.Before.Status.Should().Be(ProgressStatus.Failed);
        result.After.Status.Should().Be(ProgressStatus.Pending);
        result.After.Attempts.Should().Be(0);
        result.After.Error.Should().BeNull();
        result.After.WorkerId.Should().BeNull();
        var history = JsonDocument.Parse(result.After.ErrorHistoryJson).RootElement.EnumerateArray().ToList();
        history.Select(h => h.GetProperty("event").GetString()).Should().Equal("failed", "reset");
        history[1].GetProperty("previous_status").GetString().Should().Be("failed");
        history[1].GetProperty("error").GetString().Should().Be("numeric field overflow in column \"AMOUNT\"");

        var untouched = await db.Store.Administration.ResetChunkAsync(run.RunId, "orders", 2, force: false, CancellationToken.None);
        untouched.Changed.Should().BeFalse();
        untouched.After.Should().Be(untouched.Before);
        (await db.Store.Administration.Invoking(a => a.ResetChunkAsync(run.RunId, "orders", 99, false, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.ChunkNotFound);
    }

    [Fact]
    public async Task A_completed_chunk_is_reset_only_with_force_and_then_reopens_its_table_and_run()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        await db.Store.Tables.FinishTableAsync(new TableOutcome { RunId = run.RunId, Table = "orders", Status = ProgressStatus.Completed }, CancellationToken.None);
        await db.Store.Runs.FinishRunAsync(run.RunId, RunStatus.Completed, null, CancellationToken.None);

        var refused = await db.Store.Administration.Invoking(a => a.ResetChunkAsync(run.RunId, "orders", 1, force: false, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>();
        refused.Which.Error.Should().Be(ErrorCatalog.ChunkResetRefused);
        refused.Which.Message.Should().Contain("100 rows already loaded").And.Contain("orders");
        (await db.Store.Chunks.ListChunksAsync(run.RunId, "orders", CancellationToken.None))[0].Status.Should().Be(ProgressStatus.Completed);

        var forced = await db.Store.Administration.ResetChunkAsync(run.RunId, "orders", 1, force: true, CancellationToken.None);

        forced.After.Status.Should().Be(ProgressStatus.Pending);
        forced.After.RowsCopied.Should().Be(0);
        forced.RunStatusChangedTo.Should().Be(RunStatus.Partial);
        (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None))!.Status.Should().Be(RunStatus.Partial);
        (await db.Store.Tables.GetTableAsync(run.RunId, "orders", CancellationToken.None))!.Status.Should().Be(ProgressStatus.Pending);
        var lookup = await db.Store.Runs.FindResumableRunAsync("analytics", "hash-1", TimeSpan.FromHours(1), CancellationToken.None);
        lookup.Resumable!.RunId.Should().Be(run.RunId);
    }

    [Fact]
    public async Task Resetting_a_claimed_chunk_voids_the_claim_so_its_worker_cannot_commit()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 1);
        var claim = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w1", CancellationToken.None))!;

        await db.Store.Administration.ResetChunkAsync(run.RunId, "orders", 1, force: false, CancellationToken.None);

        await using var connection = await db.Store.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        (await FluentActions.Invoking(() => ChunkStore.MarkChunkCompletedAsync(transaction, claim, 100, null, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.ChunkClaimLost);
    }

    [Fact]
    public async Task Stopping_cancels_an_unfinished_run_with_its_reason_but_not_a_completed_one()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync();

        var stopped = await db.Store.Administration.StopRunAsync(run.RunId, "host rebooted", RunStopMode.Cancel, CancellationToken.None);

        stopped.Changed.Should().BeTrue();
        stopped.PreviousStatus.Should().Be(RunStatus.Running);
        stopped.Run.Status.Should().Be(RunStatus.Cancelled);
        stopped.Run.StopReason.Should().Be("host rebooted");
        stopped.Run.CompletedAt.Should().NotBeNull();
        (await db.Store.Administration.StopRunAsync(run.RunId, "again", RunStopMode.Cancel, CancellationToken.None)).Changed.Should().BeFalse();

        var done = await db.CreateRunWithChunksAsync();
        await db.Store.Runs.FinishRunAsync(done.RunId, RunStatus.Completed, null, CancellationToken.None);
        (await db.Store.Administration.Invoking(a => a.StopRunAsync(done.RunId, null, RunStopMode.Cancel, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.RunStopRefused);
        (await db.Store.Administration.Invoking(a => a.StopRunAsync(Guid.NewGuid(), null, RunStopMode.Cancel, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.RunNotFound);
    }

    [Fact]
    public async Task Stopping_a_run_gives_back_its_claims_so_a_dead_worker_holds_nothing_and_a_live_one_cannot_commit()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        var claim = (await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "host:1:orders-1", CancellationToken.None))!;

        await db.Store.Administration.StopRunAsync(run.RunId, "worker host died", RunStopMode.Cancel, CancellationToken.None);

        (await db.ScalarAsync<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'in_progress'")).Should().Be(0);
        (await db.ScalarAsync<string>("SELECT status FROM migration_status.migration_chunk_status WHERE chunk_id = @id", ("id", claim.ChunkId)))
            .Should().Be("pending");
        (await db.Store.Chunks.HeartbeatChunkAsync(claim, CancellationToken.None)).Should().BeFalse("the claim is void: its worker stops and rolls back");
    }

    [Fact]
    public async Task A_run_finished_completed_carries_no_stop_reason_left_from_a_reopening()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 1);
        await db.ExecuteAsync("UPDATE migration_status.migration_runs SET stop_reason = 'reopened: chunk 0 reset' WHERE run_id = @id", ("id", run.RunId));

        var finished = await db.Store.Runs.FinishRunAsync(run.RunId, RunStatus.Completed, null, CancellationToken.None);

        finished.StopReason.Should().BeNull();
    }

    [Fact]
    public async Task Force_complete_is_refused_until_every_chunk_is_completed()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, "orders", "w", CancellationToken.None);

        var refused = await db.Store.Administration.Invoking(a => a.StopRunAsync(run.RunId, "done by hand", RunStopMode.ForceComplete, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>();

        refused.Which.Error.Should().Be(ErrorCatalog.RunForceCompleteRefused);
        refused.Which.Message.Should().Contain("0 of 3 chunks are completed (2 pending, 1 in progress");
        (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None))!.Status.Should().Be(RunStatus.Running);

        await db.ExecuteAsync("UPDATE migration_status.migration_chunk_status SET status = 'pending'");
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        var completed = await db.Store.Administration.StopRunAsync(run.RunId, "verified by hand", RunStopMode.ForceComplete, CancellationToken.None);

        completed.Run.Status.Should().Be(RunStatus.Completed);
        completed.Run.StopReason.Should().Be("verified by hand");
        completed.Run.RowsCopied.Should().Be(300);
    }

    [Fact]
    public async Task Force_complete_is_refused_over_a_table_that_failed_verification()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 1);
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        await db.Store.Tables.FinishTableAsync(new TableOutcome { RunId = run.RunId, Table = "orders", Status = ProgressStatus.Incomplete }, CancellationToken.None);

        var refused = await db.Store.Administration.Invoking(a => a.StopRunAsync(run.RunId, null, RunStopMode.ForceComplete, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>();

        refused.Which.Message.Should().Contain("1 table(s) are failed or incomplete");
    }

    [Fact]
    public async Task Removing_old_history_counts_what_goes_and_keeps_running_runs_and_unrestored_indexes()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var oldDone = await OldRunWithChunksAsync(db, RunStatus.Completed, chunkCount: 3);
        var oldStuck = await OldRunWithChunksAsync(db, RunStatus.Running, chunkCount: 2);
        var oldWithDroppedIndex = await OldRunWithChunksAsync(db, RunStatus.Failed, chunkCount: 1);
        var recent = await db.CreateRunWithChunksAsync();
        await db.Store.IndexBackups.SaveAsync(oldWithDroppedIndex,
            [new IndexDefinition("public", "orders", IndexObjectKind.Index, "orders_idx", "CREATE INDEX orders_idx ON public.orders (id)")],
            CancellationToken.None);
        var saved = (await db.Store.IndexBackups.ListAsync(oldWithDroppedIndex, null, null, false, CancellationToken.None)).Single();
        await db.Store.IndexBackups.MarkDroppedAsync(saved, null, CancellationToken.None);
        var request = new RunRemovalRequest { OlderThan = TimeSpan.FromDays(7) };

        var preview = await db.Store.Administration.RemoveRunsAsync(request with { DryRun = true }, CancellationToken.None);
        preview.RemovedRunIds.Should().Equal(oldDone);
        (await db.ScalarAsync<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(4);

        var removed = await db.Store.Administration.RemoveRunsAsync(request, CancellationToken.None);

        removed.RemovedRunIds.Should().Equal(oldDone);
        removed.TablesRemoved.Should().Be(1);
        removed.ChunksRemoved.Should().Be(3);
        removed.KeptForIndexRestore.Should().Equal(oldWithDroppedIndex);
        var left = (await db.Store.Administration.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(r => r.RunId);
        left.Should().BeEquivalentTo([recent.RunId, oldStuck, oldWithDroppedIndex]);
        (await db.ScalarAsync<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE run_id = @id", ("id", oldDone)))
            .Should().Be(0);

        var withRunning = await db.Store.Administration.RemoveRunsAsync(request with { IncludeRunning = true }, CancellationToken.None);
        withRunning.RemovedRunIds.Should().Equal(oldStuck);

        await db.Store.IndexBackups.MarkRestoredAsync(saved, null, CancellationToken.None);
        var afterRestore = await db.Store.Administration.RemoveRunsAsync(request, CancellationToken.None);
        afterRestore.RemovedRunIds.Should().Equal(oldWithDroppedIndex);
        afterRestore.IndexBackupsRemoved.Should().Be(1);
        (await db.Store.Administration.ListRunsAsync(new RunQuery(), CancellationToken.None)).Select(r => r.RunId).Should().Equal(recent.RunId);
    }

    private static async Task<Guid> OldRunWithChunksAsync(StatusTestDatabase db, RunStatus status, int chunkCount)
    {
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount);
        if (status != RunStatus.Running)
        {
            await db.Store.Runs.FinishRunAsync(run.RunId, status, null, CancellationToken.None);
        }

        await db.ExecuteAsync(
            "UPDATE migration_status.migration_runs SET started_at = now() - interval '31 days', heartbeat_at = now() - interval '30 days' WHERE run_id = @id",
            ("id", run.RunId));
        return run.RunId;
    }
}
