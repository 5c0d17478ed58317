using Npgsql;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// Faults during a load: the sfpg process killed with SIGKILL, a PostgreSQL backend terminated, the
/// source answering 429/503 or cutting responses, two processes sharing a run.
/// </summary>
[Trait("Category", "Fault")]
public sealed class FaultTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(2);

    private static async Task<MigrationEnvironment> WithTable(string name, int rows, string targetDdl, MigrationEnvironment.Options? emulator = null)
    {
        var env = await MigrationEnvironment.StartAsync(emulator);
        await env.Source($"""
            CREATE TABLE "PUBLIC"."{name}" ("ID" bigint, "CODE" text, "AMOUNT" numeric(14,2), "AT" timestamp);
            INSERT INTO "PUBLIC"."{name}"
            SELECT g, 'c-' || g, g * 0.37, timestamp '2024-01-01' + g * interval '17 seconds' FROM generate_series(1, {rows}) g;
            """);
        await env.TargetSql(targetDdl);
        return env;
    }

    private static string TableJson(string source, string target, string extra = "") =>
        $$"""[ { "source": "{{source}}", "target": "{{target}}", "chunking_columns": ["ID"], "chunking_column_types": ["int"]{{extra}} } ]""";

    [Fact]
    public async Task Killed_ten_times_at_random_moments_then_resumed_the_target_holds_exactly_the_source_rows()
    {
        const int Rows = 30_000;
        // Each chunk's statement waits 500 ms, so most kills land while a chunk's COPY is open; 75 chunks over
        // two workers are ~19 s of work, more than ten processes get done between start-up and kill.
        await using var env = await WithTable("KILLED", Rows, "CREATE TABLE killed (id bigint, code text, amount numeric(14,2), at timestamp)",
            o => o with { Faults = "slow:every=1:ms=500:on=submit" });
        var config = env.ConfigFile(TableJson("KILLED", "killed"), parallelThreads: 2, batchSize: 400);
        var random = new Random(20261122);
        var kills = 0;
        for (var i = 0; i < 10; i++)
        {
            using var sfpg = SfpgProcess.Start("migrate", "--config", config);
            // Each kill lands at a random moment after the process took its first chunk, however slowly it started.
            await Eventually.True(async () => sfpg.Process.HasExited || await env.TargetScalar<long>(
                $"SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'in_progress' AND worker_id LIKE '%:{sfpg.Id}:%'") > 0,
                ProcessTimeout, "the process claimed a chunk");
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500)));
            if (sfpg.Process.HasExited)
            {
                break;
            }

            sfpg.KillNow();
            kills++;
        }

        kills.Should().Be(10, "every kill lands before the load is done");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("running",
            "a killed process cannot record anything: the run is left running, its heartbeat going stale");
        var interrupted = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE attempts > 1");
        interrupted.Should().BeGreaterThan(0, "kills landed while chunks were being copied");

        var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "migrate", "--config", config);

        exitCode.Should().Be(0, output + error);
        output.Should().Contain("completed").And.Contain("resumed");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(1, "every process resumed the same run");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status <> 'completed'")).Should().Be(0);
        (await env.TargetScalar<long>("SELECT count(*) - count(DISTINCT id) FROM killed")).Should().Be(0, "no chunk's rows were committed twice");
        (await env.TargetFingerprint("killed")).Should().Be(await env.SourceFingerprint("KILLED"));
        (await env.TargetFingerprint("killed")).Rows.Should().Be(Rows);
    }

    [Fact]
    public async Task Indexes_dropped_for_a_load_that_was_killed_are_restored_by_the_next_run_exactly_as_they_were()
    {
        await using var env = await WithTable("INDEXED", 12_000, """
            CREATE TABLE indexed (id bigint PRIMARY KEY, code text CONSTRAINT indexed_code_key UNIQUE, amount numeric(14,2), at timestamp);
            CREATE INDEX indexed_at_idx ON indexed (at DESC);
            CREATE INDEX indexed_amount_partial ON indexed (amount) WHERE amount > 100;
            """, o => o with { Faults = "slow:every=1:ms=400:on=submit" });
        const string Definitions = """
            SELECT string_agg(d, E'\n' ORDER BY d) FROM (
                SELECT indexdef AS d FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'indexed'
                UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.indexed'::regclass) x
            """;
        var before = await env.TargetScalar<string>(Definitions);
        var config = env.ConfigFile(TableJson("INDEXED", "indexed", """, "disable_index": true"""), parallelThreads: 2, batchSize: 500);

        using (var sfpg = SfpgProcess.Start("migrate", "--config", config))
        {
            await Eventually.True(async () =>
                await env.TargetScalar<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'indexed'") == 0
                && await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0,
                TimeSpan.FromSeconds(60));
            sfpg.KillNow();
        }

        (await env.TargetScalar<long>("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'indexed'")).Should().Be(0);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_index_backup WHERE restored_at IS NULL")).Should().Be(4,
            "the definitions were saved before anything was dropped");

        var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "migrate", "--config", config);

        exitCode.Should().Be(0, output + error);
        (await env.TargetScalar<string>(Definitions)).Should().Be(before);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_index_backup WHERE restored_at IS NULL")).Should().Be(0);
        (await env.TargetFingerprint("indexed")).Should().Be(await env.SourceFingerprint("INDEXED"));
    }

    [Fact]
    public async Task Two_processes_sharing_one_run_never_copy_a_chunk_twice()
    {
        const int Rows = 20_000;
        await using var env = await WithTable("SHARED", Rows, "CREATE TABLE shared (id bigint, code text, amount numeric(14,2), at timestamp)",
            o => o with { Faults = "slow:every=1:ms=300:on=submit" });
        var config = env.ConfigFile(TableJson("SHARED", "shared"), parallelThreads: 2, batchSize: 500);

        using var owner = SfpgProcess.Start("migrate", "--config", config);
        await Eventually.True(async () => await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0, TimeSpan.FromSeconds(60));
        var runId = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
        using var joiner = SfpgProcess.Start("migrate", "--config", config, "--join", runId.ToString());

        var ownerExit = await owner.WaitAsync(ProcessTimeout);
        var joinerExit = await joiner.WaitAsync(ProcessTimeout);

        ownerExit.Should().Be(0, owner.Output + owner.Error);
        joinerExit.Should().Be(0, "the joiner's tables completed: " + joiner.Output + joiner.Error);
        joiner.Output.Should().Contain("joined");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        var chunks = await env.TargetColumn<string>(
            "SELECT status || '|' || attempts || '|' || split_part(worker_id, ':', 2) || '|' || rows_copied || '|' || expected_rows FROM migration_status.migration_chunk_status");
        chunks.Select(c => c.Split('|')).Should().OnlyContain(c => c[0] == "completed" && c[1] == "1" && c[3] == c[4],
            "each chunk was claimed once and copied once");
        chunks.Select(c => c.Split('|')[2]).Distinct().Should().BeEquivalentTo([owner.Id.ToString(), joiner.Id.ToString()],
            "both processes took chunks");
        chunks.Sum(c => long.Parse(c.Split('|')[3])).Should().Be(Rows);
        (await env.TargetScalar<long>("SELECT count(*) - count(DISTINCT id) FROM shared")).Should().Be(0);
        (await env.TargetFingerprint("shared")).Should().Be(await env.SourceFingerprint("SHARED"));
    }

    [Fact]
    public async Task A_target_backend_terminated_mid_chunk_fails_that_attempt_and_the_chunk_is_retried()
    {
        await using var env = await WithTable("TERMINATED", 6000, "CREATE TABLE terminated (id bigint, code text, amount numeric(14,2), at timestamp)",
            o => o with { Faults = "slow:every=1:ms=300:on=submit" });
        var config = env.Config(TableJson("TERMINATED", "terminated"), parallelThreads: 2, batchSize: 500, maxRetryAttempts: 3);
        // A SHARE lock on the target holds both workers inside their COPY, so one of them is terminated mid-chunk on any machine.
        int terminated;
        Task<MigrationResult> running;
        using (var hold = await TargetLock.TakeAsync(env.TargetConnection, "terminated"))
        {
            running = env.RunAsync(config);
            const string WaitingCopy = """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'COPY "public"."terminated"%' AND wait_event_type = 'Lock'
                ORDER BY pid LIMIT 1
                """;
            await Eventually.True(async () => running.IsCompleted || await env.TargetScalar<int?>(WaitingCopy) is not null,
                TimeSpan.FromSeconds(60), "a worker's COPY waits for the lock");
            running.IsCompleted.Should().BeFalse();
            terminated = (await env.TargetScalar<int?>(WaitingCopy))!.Value;
            (await env.TargetScalar<bool>($"SELECT pg_terminate_backend({terminated})")).Should().BeTrue();
            await hold.ReleaseAsync();
        }

        var run = (await running).Runs.Single();
        run.Status.Should().Be(RunStatus.Completed, run.Error);
        var retried = await env.TargetColumn<string>("SELECT error_history::text FROM migration_status.migration_chunk_status WHERE attempts > 1");
        retried.Should().ContainSingle("exactly the chunk whose connection was terminated ran twice")
            .Which.Should().Contain("retry");
        (await env.TargetScalar<long>("SELECT count(*) - count(DISTINCT id) FROM terminated")).Should().Be(0);
        (await env.TargetFingerprint("terminated")).Should().Be(await env.SourceFingerprint("TERMINATED"));
    }

    [Fact]
    public async Task Injected_source_faults_429_503_and_cut_responses_are_recovered()
    {
        // Large chunks over small partitions, so chunks fetch several partitions and cut fetches happen.
        await using var env = await WithTable("FLAKY", 24_000, "CREATE TABLE flaky (id bigint, code text, amount numeric(14,2), at timestamp)",
            o => o with { PartitionRows = 2_000, Faults = "429:every=5:retry-after=1:on=submit,503:every=4:on=fetch,cut:every=7:on=fetch" });
        var config = env.Config(TableJson("FLAKY", "flaky"), parallelThreads: 2, batchSize: 6000, maxRetryAttempts: 5);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        env.Emulator.Faults.Describe().Should().HaveCount(3).And.OnlyContain(r => r.Injected > 0, "every kind of fault fired");
        lock (env.Events)
        {
            env.Events.OfType<SnowPgMigration.Engine.Reporting.LogEvent>().Should().Contain(
                e => e.EventId == 3102 && e.Level == SnowPgMigration.Engine.Reporting.EngineLogLevel.Information && e.Message.Contains("retrying in"),
                "the client's retries and back-off waits show at information level, the CLI's default");
        }

        (await env.TargetFingerprint("flaky")).Should().Be(await env.SourceFingerprint("FLAKY"));
    }
}
