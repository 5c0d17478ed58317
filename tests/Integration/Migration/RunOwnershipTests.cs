using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// One owner per run, destructive steps only after a recorded plan, deadlines that leave time to load,
/// resumes under the run's own config, cleanup that spares live runs, and incomplete tables that converge.
/// </summary>
public sealed class RunOwnershipTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static MigrationEnvironment.Options Slow(int ms) => o => o with { Faults = $"slow:every=1:ms={ms}:on=submit" };

    /// <summary>A source NUMBERS table and a target that already holds <paramref name="oldRows"/> rows a truncate would remove.</summary>
    private static async Task<MigrationEnvironment> WithNumbers(int rows, int slowMs, int oldRows = 0, string target = "numbers")
    {
        var env = await MigrationEnvironment.StartAsync(slowMs > 0 ? Slow(slowMs) : null);
        await env.Source($"""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, {rows}) g;
            """);
        await env.TargetSql($"CREATE TABLE {target} (id bigint, v text); INSERT INTO {target} SELECT -g, 'old' FROM generate_series(1, {oldRows}) g;");
        return env;
    }

    private static string Truncating(string target = "numbers", string extra = "") =>
        $$"""{ "source": "NUMBERS", "target": "{{target}}", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true{{extra}} }""";

    private static Task<long> Count(MigrationEnvironment env, string sql) => env.TargetScalar<long>(sql);

    [Fact]
    public async Task A_second_process_never_takes_over_a_live_run_it_refuses_naming_the_run_its_owner_and_join()
    {
        // One worker over 30 chunks of at least 300 ms: the first run is still at work while the others try.
        await using var env = await WithNumbers(6000, slowMs: 300, oldRows: 1000);
        var config = env.Config($"[ {Truncating()} ]", batchSize: 200, parallelThreads: 1);
        var configFile = env.ConfigFile($"[ {Truncating()} ]", batchSize: 200, parallelThreads: 1);

        var first = env.RunAsync(config);
        await Eventually.True(async () => await Count(env, "SELECT count(*) FROM migration_status.migration_runs") == 1, Wait, "the first run is recorded");
        var runId = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");

        // Overlapping in this process (another runner) and from a second sfpg process, both while the first plans or loads.
        var second = () => env.RunAsync(config);
        var refusal = (await second.Should().ThrowAsync<SfPgException>()).Which;
        var (exitCode, _, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", configFile);

        refusal.Code.Should().Be("SFPG4204");
        refusal.Message.Should().Contain(runId.ToString()).And.Contain($"pid {Environment.ProcessId}").And.Contain($"--join {runId}");
        first.IsCompleted.Should().BeFalse("the refusals came while the first run was at work");
        exitCode.Should().Be(2, error);
        error.Should().Contain("SFPG4204").And.Contain($"--join {runId}");
        var run = (await first).Runs.Single();
        run.RunId.Should().Be(runId);
        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed", "the refused processes recorded nothing");
        (await Count(env, "SELECT count(*) FROM migration_status.migration_runs")).Should().Be(1);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Theory]
    [InlineData("""
        , "chunking_column_types": ["date"]
        """, "a chunking type that does not fit the column")]
    [InlineData("""
        , "source_filter": "\"NO_SUCH_COLUMN\" > 0"
        """, "a filter the planning query cannot run")]
    public async Task A_plan_that_fails_leaves_a_truncate_onstart_target_as_it_was(string extra, string why)
    {
        await using var env = await WithNumbers(2000, slowMs: 0, oldRows: 500);
        var table = $$"""{ "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "truncate_onstart": true{{extra}} }""";
        if (!extra.Contains("chunking_column_types", StringComparison.Ordinal))
        {
            table = table.Replace("\"truncate_onstart\"", "\"chunking_column_types\": [\"int\"], \"truncate_onstart\"", StringComparison.Ordinal);
        }

        var before = await env.TargetFingerprint("numbers");
        var run = (await env.RunAsync(env.Config($"[ {table} ]", batchSize: 500))).Runs.Single();

        run.Status.Should().Be(RunStatus.Failed, why);
        run.Tables.Single().Status.Should().Be(ProgressStatus.Failed);
        (await env.TargetFingerprint("numbers")).Should().Be(before, $"{why} fails the plan, and nothing is truncated without a recorded plan");
        (await Count(env, "SELECT count(*) FROM migration_status.migration_chunk_status")).Should().Be(0);
    }

    [Fact]
    public async Task A_maximum_duration_inside_the_deadline_buffer_is_refused_before_anything_is_touched()
    {
        await using var env = await WithNumbers(2000, slowMs: 0, oldRows: 500);
        var before = await env.TargetFingerprint("numbers");
        var config = env.Config($"[ {Truncating()} ]", deadlineBufferSeconds: 120);
        var configFile = env.ConfigFile($"[ {Truncating()} ]", deadlineBufferSeconds: 120);

        var run = () => env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(20) });
        var refusal = (await run.Should().ThrowAsync<SfPgException>()).Which;
        var (exitCode, _, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", configFile, "--max-duration", "1");

        refusal.Code.Should().Be("SFPG4205");
        refusal.Message.Should().Contain("20 s").And.Contain("120 s");
        exitCode.Should().Be(2, error);
        error.Should().Contain("SFPG4205");
        (await env.TargetFingerprint("numbers")).Should().Be(before);
        (await Count(env, "SELECT count(*) FROM pg_namespace WHERE nspname = 'migration_status'")).Should().Be(0, "no run was even started");
    }

    [Fact]
    public async Task Resuming_by_id_with_another_config_is_refused_naming_the_differences_and_force_accepts_them()
    {
        await using var env = await WithNumbers(4000, slowMs: 150);
        await env.TargetSql("CREATE TABLE other (id bigint, v text); INSERT INTO other SELECT g, 'keep' FROM generate_series(1, 300) g;");
        var original = env.Config($"[ {Truncating()} ]", batchSize: 200);
        var first = (await env.RunAsync(original, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(2) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);
        var loaded = await env.TargetFingerprint("numbers");
        var kept = await env.TargetFingerprint("other");
        var changed = env.Config($"[ {Truncating(extra: """, "source_filter": "\"ID\" > 0" """)}, {Truncating("other")} ]", batchSize: 200);

        var resume = () => env.RunAsync(changed, new MigrationOptions { ResumeRunId = first.RunId });
        var refusal = (await resume.Should().ThrowAsync<SfPgException>()).Which;

        refusal.Code.Should().Be("SFPG4206");
        refusal.Message.Should().Contain(first.RunId.ToString())
            .And.Contain("table \"other\" added")
            .And.Contain("table \"numbers\": source_filter null -> \"\\\"ID\\\" > 0\"")
            .And.Contain("--force");
        (await env.TargetFingerprint("numbers")).Should().Be(loaded);
        (await env.TargetFingerprint("other")).Should().Be(kept, "a table the run never had is not truncated");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("partial");

        var forced = (await env.RunAsync(changed, new MigrationOptions { ResumeRunId = first.RunId, Force = true })).Runs.Single();

        forced.RunId.Should().Be(first.RunId);
        forced.Status.Should().Be(RunStatus.Completed, forced.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetFingerprint("other")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        var again = (await env.RunAsync(changed)).Runs.Single();
        again.RunId.Should().NotBe(first.RunId, "the forced run went on under the new config and completed; a new run starts");
    }

    [Fact]
    public async Task Cleanup_spares_a_live_run_and_a_run_whose_record_disappears_stops_before_its_next_table()
    {
        await using var env = await WithNumbers(4000, slowMs: 200, oldRows: 0);
        await env.TargetSql("CREATE TABLE second (id bigint, v text); INSERT INTO second SELECT g, 'keep' FROM generate_series(1, 500) g;");
        var config = env.Config($"[ {Truncating()}, {Truncating("second")} ]", batchSize: 250);
        var second = await env.TargetFingerprint("second");

        var running = env.RunAsync(config);
        await Eventually.True(async () => await Count(env, "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0,
            Wait, "a chunk of the first table committed");
        await using (var store = StatusStore.Create(env.TargetConnection))
        {
            var cleanup = await store.Administration.RemoveRunsAsync(
                new RunRemovalRequest { OlderThan = TimeSpan.Zero, IncludeRunning = true }, CancellationToken.None);
            cleanup.RunsRemoved.Should().Be(0, "the run's heartbeat is fresh");
            cleanup.KeptLive.Should().ContainSingle();
        }

        (await Count(env, "SELECT count(*) FROM migration_status.migration_runs")).Should().Be(1);

        // A run removed by hand from under its process: it stops and never truncates the next table.
        await env.TargetSql("DELETE FROM migration_status.migration_runs");
        var result = await running;

        result.Runs.Single().Status.Should().NotBe(RunStatus.Completed);
        (await env.TargetFingerprint("second")).Should().Be(second, "the process stopped before touching another table");
        env.Warnings().Should().Contain(w => w.Contains("removed from the status schema"));
    }

    [Fact]
    public async Task A_table_left_incomplete_by_a_changing_source_converges_on_the_next_run_of_the_same_command()
    {
        // One worker over ten chunks of at least 300 ms: most chunks are still to come when the source changes.
        await using var env = await WithNumbers(4000, slowMs: 300);
        await env.Source("""UPDATE "PUBLIC"."NUMBERS" SET "ID" = "ID" * 2""");
        var config = env.Config($"[ {Truncating()} ]", batchSize: 400, parallelThreads: 1);

        var running = env.RunAsync(config);
        await Eventually.True(async () => await Count(env, "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0,
            Wait, "a chunk committed");
        // Odd ids land inside every planned range: chunks not yet copied now hold more rows than planned.
        await env.Source("""INSERT INTO "PUBLIC"."NUMBERS" SELECT g * 2 + 1, 'new' FROM generate_series(1, 4000) g""");
        var first = (await running).Runs.Single();

        first.Tables.Single().Status.Should().Be(ProgressStatus.Incomplete);
        first.Status.Should().NotBe(RunStatus.Completed);
        env.Warnings().Should().Contain(w => w.Contains("INCOMPLETE") && w.Contains("plans this table afresh"));

        var second = (await env.RunAsync(config)).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        second.Tables.Single().Status.Should().Be(ProgressStatus.Completed);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetFingerprint("numbers")).Rows.Should().Be(8000);
    }

    [Fact]
    public async Task Rows_removed_from_a_copy_loaded_target_behind_the_run_make_the_table_incomplete_naming_the_ranges()
    {
        await using var env = await WithNumbers(4000, slowMs: 300);
        var config = env.Config($"[ {Truncating()} ]", batchSize: 400);
        using var stop = new CancellationTokenSource();
        var running = env.RunAsync(config, cancellationToken: stop.Token);
        await Eventually.True(async () => await Count(env, "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") >= 2,
            Wait, "two chunks committed");
        await stop.CancelAsync();
        (await running).Runs.Single().Status.Should().Be(RunStatus.Cancelled);
        // Someone deletes loaded rows while the run waits to be resumed.
        var lowest = await env.TargetScalar<long>("SELECT min(id) FROM numbers");
        await env.TargetSql($"DELETE FROM numbers WHERE id BETWEEN {lowest} AND {lowest + 9}");

        var resumed = (await env.RunAsync(config)).Runs.Single();

        var table = resumed.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Incomplete, "the chunks' own counters agree, but the target read back does not");
        table.Verification.Should().Contain("the target holds 3,990 rows, its chunks committed 4,000").And.Contain("(390 on the target/400 committed)");
        (await env.TargetScalar<long>("SELECT target_row_count FROM migration_status.migration_table_status")).Should().Be(3990);

        var again = (await env.RunAsync(config)).Runs.Single();

        again.Status.Should().Be(RunStatus.Completed, again.Error);
        again.Tables.Single().Verification.Should().Contain("target read back: 4,000 rows");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task A_running_run_shows_its_table_and_row_counters_before_it_ends()
    {
        await using var env = await WithNumbers(6000, slowMs: 300);
        var config = env.Config($"[ {Truncating()} ]", batchSize: 200, parallelThreads: 1);

        var running = env.RunAsync(config);
        await Eventually.True(async () => await Count(env,
                "SELECT count(*) FROM migration_status.migration_runs WHERE status = 'running' AND tables_total = 1 AND rows_copied >= 400") == 1,
            Wait, "the running run's counters show its table and the rows of its committed chunks");
        await using (var store = StatusStore.Create(env.TargetConnection))
        {
            var listed = (await store.Administration.ListRunsAsync(new RunQuery(), CancellationToken.None)).Single();
            listed.Status.Should().Be(RunStatus.Running);
            listed.OwnerGone.Should().BeFalse("its owner is this process, at work");
            listed.RowsCopied.Should().BeGreaterThanOrEqualTo(400);
        }

        (await running).Runs.Single().Status.Should().Be(RunStatus.Completed);
    }

    [Fact]
    public async Task A_run_whose_process_was_killed_shows_its_owner_gone_at_once_in_runs_and_stale()
    {
        await using var env = await WithNumbers(6000, slowMs: 300);
        var configFile = env.ConfigFile($"[ {Truncating()} ]", batchSize: 200, parallelThreads: 1);
        using (var sfpg = SfpgProcess.Start("migrate", "--config", configFile))
        {
            await Eventually.True(async () => await Count(env,
                "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0, Wait, "a chunk committed");
            sfpg.KillNow();
        }

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "runs", "--config", configFile, "--source", "test", "--stale");

        exitCode.Should().Be(0, error);
        output.Should().Contain("running (owner gone)", "the process that owned it no longer exists on this host; no ten-minute wait");
    }

    [Fact]
    public async Task A_run_stopped_at_its_deadline_exits_3_and_the_same_command_then_completes_it_with_0()
    {
        await using var env = await WithNumbers(6000, slowMs: 300);
        var configFile = env.ConfigFile($"[ {Truncating()} ]", batchSize: 200, parallelThreads: 1, deadlineBufferSeconds: 1);

        var (partialExit, partialOutput, partialError) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", configFile, "--max-duration", "0.1");
        var (doneExit, doneOutput, doneError) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", configFile);

        partialExit.Should().Be(3, partialOutput + partialError);
        partialOutput.Should().Contain("partial");
        doneExit.Should().Be(0, doneOutput + doneError);
        doneOutput.Should().Contain("resumed");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }
}
