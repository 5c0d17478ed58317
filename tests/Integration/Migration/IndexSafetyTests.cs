using Npgsql;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// <c>disable_index</c> around every way a run can stop (invariant 5): cancellation, deadline, signals to
/// the sfpg process, then a resume. A completed table ends with exactly the indexes and constraints it had.
/// </summary>
public sealed class IndexSafetyTests
{
    private const int Rows = 5000;
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    // Every chunk's statement waits before it runs, so the load is long enough to be stopped with its indexes dropped.
    private static MigrationEnvironment.Options Slow(int ms) => o => o with { Faults = $"slow:every=1:ms={ms}:on=submit" };

    private const string ItemsTable = """
        [ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "disable_index": true } ]
        """;

    /// <summary>Every index and constraint of <c>public.items</c> as its definition, sorted: equal when the table has exactly the same ones.</summary>
    private static string Definitions(string table) => $"""
        SELECT coalesce(string_agg(d, E'\n' ORDER BY d), '') FROM (
            SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' AND tablename = '{table}'
            UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.{table}'::regclass) x
        """;

    private static async Task<MigrationEnvironment> WithItems(int slowMs)
    {
        var env = await MigrationEnvironment.StartAsync(Slow(slowMs));
        await env.Source($"""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "CODE" text, "V" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'c-' || g, md5(g::text) FROM generate_series(1, {Rows}) g;
            """);
        await env.TargetSql("""
            CREATE TABLE items (id bigint CONSTRAINT items_pkey PRIMARY KEY, code text, v text);
            CREATE INDEX items_code_idx ON items (code);
            """);
        return env;
    }

    private static Task<long> CompletedChunks(MigrationEnvironment env) =>
        env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'");

    /// <summary>Waits until the load runs with the indexes dropped and at least one chunk committed.</summary>
    private static Task LoadIsUnderway(MigrationEnvironment env) => Eventually.True(async () =>
        await env.TargetScalar<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'items'") == 0
        && await CompletedChunks(env) > 0, TimeSpan.FromSeconds(60));

    private static async Task TableIsBackExactly(MigrationEnvironment env, string before)
    {
        (await env.TargetScalar<string>(Definitions("items"))).Should().Be(before, "a completed table has exactly its saved definitions back");
        (await env.TargetFingerprint("items")).Should().Be(await env.SourceFingerprint("ITEMS"));
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_index_backup WHERE restored_at IS NULL OR dropped_at IS NULL"))
            .Should().Be(0, "every saved definition was dropped and is recorded restored");
    }

    [Fact]
    public async Task Cancelled_then_resumed_the_table_completes_with_its_primary_key_and_index_back()
    {
        await using var env = await WithItems(slowMs: 200);
        var before = await env.TargetScalar<string>(Definitions("items"));
        before.Should().Contain("items_pkey").And.Contain("items_code_idx");
        var config = env.Config(ItemsTable, batchSize: 200);
        using var cancel = new CancellationTokenSource();
        var running = env.RunAsync(config, cancellationToken: cancel.Token);
        await LoadIsUnderway(env);
        await cancel.CancelAsync();

        var first = (await running).Runs.Single();

        first.Status.Should().Be(RunStatus.Cancelled);
        var recorder = new RunIdRecorder();
        env.Events.OfType<LogEvent>().ToList().ForEach(recorder.Observe);
        recorder.RunIds.Should().Equal([first.RunId], "a host that gives up waiting for a stop names the run from the engine's own lines");
        (await env.TargetScalar<string>(Definitions("items"))).Should().Be(before, "a cancelled load restores what it dropped");
        (await env.TargetScalar<long>("SELECT count(*) FROM items")).Should().BeLessThan(Rows);

        var second = (await env.RunAsync(config)).Runs.Single();

        second.RunId.Should().Be(first.RunId);
        second.Resumed.Should().BeTrue();
        second.Status.Should().Be(RunStatus.Completed, second.Error);
        await TableIsBackExactly(env, before);
    }

    [Fact]
    public async Task A_deadline_that_ends_the_run_partial_then_the_next_job_leaves_the_indexes_exactly_as_they_were()
    {
        await using var env = await WithItems(slowMs: 250);
        var before = await env.TargetScalar<string>(Definitions("items"));
        var config = env.Config(ItemsTable, batchSize: 200, deadlineBufferSeconds: 1);

        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(3) })).Runs.Single();

        first.Status.Should().Be(RunStatus.Partial);
        (await env.TargetScalar<string>(Definitions("items"))).Should().Be(before);

        // The runbook pattern: each job gets a deadline and resumes where the last one stopped.
        var second = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromMinutes(2) })).Runs.Single();

        second.RunId.Should().Be(first.RunId);
        second.Status.Should().Be(RunStatus.Completed, second.Error);
        await TableIsBackExactly(env, before);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_index_backup")).Should().Be(2,
            "one backup row per object of the run, refreshed on resume");
    }

    [Theory]
    [InlineData("INT", false, 130)]
    [InlineData("INT", true, 130)]
    [InlineData("TERM", false, 143)]
    public async Task Sfpg_stopped_by_a_signal_exits_only_after_recording_the_run_cancelled_with_its_indexes_back_and_the_same_command_completes_it(
        string signal, bool interruptIgnoredByParent, int exitCode)
    {
        await using var env = await WithItems(slowMs: 250);
        var before = await env.TargetScalar<string>(Definitions("items"));
        var config = env.ConfigFile(ItemsTable, batchSize: 200);

        using (var sfpg = interruptIgnoredByParent
                   ? SfpgProcess.StartWithInterruptIgnored("migrate", "--config", config)
                   : SfpgProcess.Start("migrate", "--config", config))
        {
            await LoadIsUnderway(env);
            await sfpg.SignalAsync(signal);
            var exit = await sfpg.WaitAsync(TimeSpan.FromSeconds(60));

            // Read at the moment the process is gone: nothing could have recorded anything since.
            (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("cancelled", sfpg.Output + sfpg.Error);
            (await env.TargetScalar<string>(Definitions("items"))).Should().Be(before, "the stopped load restored what it dropped before sfpg exited");
            (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_index_backup WHERE restored_at IS NULL")).Should().Be(0);
            exit.Should().Be(exitCode, sfpg.Output + sfpg.Error);
            (await env.TargetScalar<long>("SELECT count(*) FROM items")).Should().BeLessThan(Rows);
        }

        var (again, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "migrate", "--config", config);

        again.Should().Be(0, output + error);
        output.Should().Contain("resumed");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        await TableIsBackExactly(env, before);
    }

    [Fact]
    public async Task A_unique_index_that_duplicates_block_fails_the_table_with_its_code_and_keeps_the_backup_while_the_others_come_back()
    {
        await using var env = await MigrationEnvironment.StartAsync(Slow(10));
        await env.Source("""
            CREATE TABLE "PUBLIC"."DUPS" ("ID" bigint, "CODE" text, "V" text);
            INSERT INTO "PUBLIC"."DUPS" SELECT g, 'c-' || (g % 50), md5(g::text) FROM generate_series(1, 1000) g;
            """);
        await env.TargetSql("""
            CREATE TABLE dups (id bigint CONSTRAINT dups_pkey PRIMARY KEY, code text, v text);
            CREATE UNIQUE INDEX dups_code_key ON dups (code);
            CREATE INDEX dups_v_idx ON dups (v);
            """);
        var config = env.Config("""
            [ { "source": "DUPS", "target": "dups", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "disable_index": true } ]
            """, batchSize: 250);

        var run = (await env.RunAsync(config)).Runs.Single();

        var table = run.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Failed);
        table.ErrorCode.Should().Be("SFPG4020");
        table.Error.Should().Contain("dups_code_key").And.Contain(run.RunId.ToString()).And.Contain("duplicate");
        run.Status.Should().NotBe(RunStatus.Completed);
        (await env.TargetScalar<string>($"SELECT status FROM migration_status.migration_table_status WHERE run_id = '{run.RunId}'")).Should().Be("failed");
        (await env.TargetScalar<string>("SELECT error FROM migration_status.migration_table_status")).Should().Contain("SFPG4020");
        var kept = await env.TargetColumn<string>(
            "SELECT object_name || '|' || (restored_at IS NULL) || '|' || coalesce(restore_error, '') FROM migration_status.migration_index_backup ORDER BY object_name");
        kept.Should().HaveCount(3);
        kept[0].Should().StartWith("dups_code_key|true|").And.Contain("duplicate", "the backup row keeps the definition and why it could not come back");
        kept[1].Should().Be("dups_pkey|false|");
        kept[2].Should().Be("dups_v_idx|false|");
        (await env.TargetColumn<string>("SELECT indexname FROM pg_indexes WHERE tablename = 'dups' ORDER BY 1"))
            .Should().Equal(["dups_pkey", "dups_v_idx"], "one index that cannot be restored does not keep the others from coming back");
    }

    [Theory]
    [InlineData("CREATE INDEX items_code_idx ON public.items USING btree (code); DROP TABLE victim")]
    [InlineData("CREATE INDEX items_code_idx ON public.items USING btree (code) WHERE code <> $$x$$; DROP TABLE victim; --")]
    [InlineData("DROP TABLE victim")]
    [InlineData("CREATE INDEX items_code_idx ON public.victim USING btree (id)")]
    [InlineData("CREATE UNIQUE INDEX items_code_idx ON public.items USING btree (code) INCLUDE (id) WITH (fillfactor=10) TABLESPACE pg_default; ALTER TABLE victim ADD CONSTRAINT victim_key UNIQUE (id)")]
    [InlineData("ALTER TABLE public.victim ADD CONSTRAINT items_code_idx UNIQUE (id)")]
    public async Task A_saved_definition_edited_into_other_sql_is_refused_not_run_and_the_table_fails_with_its_code(string edited)
    {
        await using var env = await WithItems(slowMs: 200);
        await env.TargetSql("CREATE TABLE victim (id int)");
        var config = env.Config(ItemsTable, batchSize: 200);
        using var cancel = new CancellationTokenSource();
        var running = env.RunAsync(config, cancellationToken: cancel.Token);
        await LoadIsUnderway(env);
        await cancel.CancelAsync();
        (await running).Runs.Single().Status.Should().Be(RunStatus.Cancelled);
        // Someone with write access to the status schema edits the saved index while it is missing.
        await env.TargetSql($"""
            DROP INDEX items_code_idx;
            UPDATE migration_status.migration_index_backup SET restored_at = NULL, definition = '{edited.Replace("'", "''", StringComparison.Ordinal)}'
            WHERE object_name = 'items_code_idx';
            """);

        var resumed = (await env.RunAsync(config)).Runs.Single();

        var table = resumed.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Failed);
        table.ErrorCode.Should().Be("SFPG4020");
        table.Error.Should().Contain("items_code_idx").And.Contain("not executed");
        (await env.TargetScalar<bool>("SELECT to_regclass('public.victim') IS NOT NULL")).Should().BeTrue("the edited SQL never ran");
        (await env.TargetScalar<long>("SELECT count(*) FROM pg_indexes WHERE tablename = 'victim'")).Should().Be(0, "nothing was built on another table");
        (await env.TargetColumn<string>("SELECT indexname FROM pg_indexes WHERE tablename = 'items'")).Should().Equal(["items_pkey"]);
        (await env.TargetScalar<string>("SELECT restore_error FROM migration_status.migration_index_backup WHERE object_name = 'items_code_idx'"))
            .Should().Contain("not executed");
    }
}
