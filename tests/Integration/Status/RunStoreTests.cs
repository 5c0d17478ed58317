using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Status;

public sealed class RunStoreTests
{
    [Fact]
    public async Task A_new_run_is_running_with_a_fresh_heartbeat_and_the_process_recorded()
    {
        await using var db = await StatusTestDatabase.CreateAsync();

        var run = await db.Store.Runs.CreateRunAsync(
            new NewRun { SourceName = "analytics", ConfigHash = "abc", WorkerInfo = "4 workers" }, CancellationToken.None);

        var stored = await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None);
        stored!.Status.Should().Be(RunStatus.Running);
        stored.SourceName.Should().Be("analytics");
        stored.ConfigHash.Should().Be("abc");
        stored.ProcessId.Should().Be(Environment.ProcessId);
        stored.HostName.Should().Be(Environment.MachineName);
        stored.WorkerInfo.Should().Be("4 workers");
        stored.HeartbeatAge.Should().BeLessThan(TimeSpan.FromSeconds(10));
        stored.CompletedAt.Should().BeNull();
        (await db.ScalarAsync<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("running");
    }

    [Theory]
    [InlineData(RunStatus.Completed, "completed")]
    [InlineData(RunStatus.CompletedWithErrors, "completed_with_errors")]
    [InlineData(RunStatus.Partial, "partial")]
    [InlineData(RunStatus.Failed, "failed")]
    [InlineData(RunStatus.Cancelled, "cancelled")]
    public async Task Every_final_status_is_persisted_with_counters_from_the_chunks(RunStatus status, string stored)
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        await db.AddTableAsync(run.RunId, "customers", chunkCount: 2, sourceRowCount: 250);
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        await db.Store.Tables.FinishTableAsync(
            new TableOutcome { RunId = run.RunId, Table = "orders", Status = ProgressStatus.Completed, Verification = "rows match" },
            CancellationToken.None);

        var finished = await db.Store.Runs.FinishRunAsync(run.RunId, status, status == RunStatus.Failed ? "boom" : null, CancellationToken.None);

        finished.Status.Should().Be(status);
        (await db.ScalarAsync<string>("SELECT status FROM migration_status.migration_runs WHERE run_id = @id", ("id", run.RunId)))
            .Should().Be(stored);
        var reread = (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None))!;
        reread.CompletedAt.Should().NotBeNull();
        reread.TablesTotal.Should().Be(2);
        reread.TablesCompleted.Should().Be(1);
        reread.RowsCopied.Should().Be(300);
        reread.RowsExpected.Should().Be(300 + 250, "orders has no source count, so its chunks' 3 x 100 planned rows count");
        reread.Error.Should().Be(status == RunStatus.Failed ? "boom" : null);
    }

    [Fact]
    public async Task A_run_cancelled_by_its_token_is_still_recorded_from_finally()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync();
        using var cancellation = new CancellationTokenSource();
        var outcome = RunStatus.Failed;

        try
        {
            await cancellation.CancelAsync();
            await db.Store.Chunks.ClaimNextChunkAsync(run.RunId, null, "w", cancellation.Token);
            outcome = RunStatus.Completed;
        }
        catch (OperationCanceledException)
        {
            outcome = RunStatus.Cancelled;
        }
        finally
        {
            await db.Store.Runs.FinishRunAsync(run.RunId, outcome, null, CancellationToken.None);
        }

        (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None))!.Status.Should().Be(RunStatus.Cancelled);
    }

    [Fact]
    public async Task Finishing_refuses_running_and_unknown_runs()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync();

        await db.Store.Runs.Invoking(r => r.FinishRunAsync(run.RunId, RunStatus.Running, null, CancellationToken.None))
            .Should().ThrowAsync<ArgumentException>();
        (await db.Store.Runs.Invoking(r => r.FinishRunAsync(Guid.NewGuid(), RunStatus.Completed, null, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.RunNotFound);
    }

    [Fact]
    public async Task Heartbeat_refreshes_a_running_run_and_reports_a_cancellation()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync();
        await db.ExecuteAsync("UPDATE migration_status.migration_runs SET heartbeat_at = now() - interval '1 hour'");
        (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None))!.IsStale(TimeSpan.FromMinutes(5)).Should().BeTrue();

        (await db.Store.Runs.HeartbeatAsync(run.RunId, CancellationToken.None)).Should().Be(RunStatus.Running);
        (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None))!.IsStale(TimeSpan.FromMinutes(5)).Should().BeFalse();

        await db.Store.Administration.StopRunAsync(run.RunId, "stuck", RunStopMode.Cancel, CancellationToken.None);
        (await db.Store.Runs.HeartbeatAsync(run.RunId, CancellationToken.None)).Should().Be(RunStatus.Cancelled);
        (await db.Store.Runs.Invoking(r => r.HeartbeatAsync(Guid.NewGuid(), CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.RunNotFound);
    }

    [Fact]
    public async Task Resume_finds_the_newest_unfinished_run_of_the_same_source_and_hash()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var older = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 5, RunStatus.Failed);
        var newer = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 2, RunStatus.Partial);
        await NewRunAsync(db, "analytics", "other-hash", startedHoursAgo: 1, RunStatus.Cancelled);
        await NewRunAsync(db, "billing", "h1", startedHoursAgo: 1, RunStatus.Cancelled);

        var lookup = await db.Store.Runs.FindResumableRunAsync("analytics", "h1", TimeSpan.FromHours(12), CancellationToken.None);

        lookup.Resumable!.RunId.Should().Be(newer);
        lookup.TooOld.Should().BeEmpty();
        older.Should().NotBe(newer);
    }

    [Fact]
    public async Task Resume_reports_unfinished_runs_older_than_the_window_instead_of_dropping_them()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var completed = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 60, RunStatus.Completed);
        var beyondCompleted = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 70, RunStatus.Failed);
        var old = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 30, RunStatus.Partial);
        var stuck = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 20, RunStatus.Running);

        var lookup = await db.Store.Runs.FindResumableRunAsync("analytics", "h1", TimeSpan.FromHours(12), CancellationToken.None);

        lookup.Resumable.Should().BeNull();
        lookup.TooOld.Select(r => r.RunId).Should().Equal(stuck, old);
        lookup.TooOld.Select(r => r.RunId).Should().NotContain([completed, beyondCompleted]);
    }

    [Fact]
    public async Task Nothing_to_resume_after_a_completed_run()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 3, RunStatus.Failed);
        await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 1, RunStatus.Completed);

        var lookup = await db.Store.Runs.FindResumableRunAsync("analytics", "h1", TimeSpan.FromHours(12), CancellationToken.None);

        lookup.Should().BeEquivalentTo(ResumeLookup.Nothing);
    }

    [Fact]
    public async Task Resuming_makes_a_run_running_again_but_refuses_a_completed_one()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var partial = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 1, RunStatus.Partial);
        var completed = await NewRunAsync(db, "analytics", "h1", startedHoursAgo: 1, RunStatus.Completed);

        var resumed = await db.Store.Runs.ResumeRunAsync(partial, CancellationToken.None);

        resumed.Status.Should().Be(RunStatus.Running);
        resumed.CompletedAt.Should().BeNull();
        resumed.HeartbeatAge.Should().BeLessThan(TimeSpan.FromSeconds(10));
        (await db.Store.Runs.Invoking(r => r.ResumeRunAsync(completed, CancellationToken.None))
            .Should().ThrowAsync<SfPgException>()).Which.Error.Should().Be(ErrorCatalog.RunResumeRefused);
    }

    internal static async Task<Guid> NewRunAsync(StatusTestDatabase db, string source, string hash, double startedHoursAgo, RunStatus status)
    {
        var run = await db.Store.Runs.CreateRunAsync(new NewRun { SourceName = source, ConfigHash = hash }, CancellationToken.None);
        if (status != RunStatus.Running)
        {
            await db.Store.Runs.FinishRunAsync(run.RunId, status, null, CancellationToken.None);
        }

        await db.ExecuteAsync(
            "UPDATE migration_status.migration_runs SET started_at = now() - make_interval(secs => @s), " +
            "heartbeat_at = now() - make_interval(secs => @s) + interval '10 minutes' WHERE run_id = @id",
            ("s", startedHoursAgo * 3600), ("id", run.RunId));
        return run.RunId;
    }
}
