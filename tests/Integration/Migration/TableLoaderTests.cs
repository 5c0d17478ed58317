using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// One loader per target table: a run killed part-way, then a newer run that loads the same table, then the
/// old run resumed. The old run never appends to the newer run's load; with --force it re-plans the table.
/// </summary>
[Trait("Category", "Fault")]
public sealed class TableLoaderTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private static async Task<MigrationEnvironment> WithNumbers(string targetDdl)
    {
        var env = await MigrationEnvironment.StartAsync(o => o with { Faults = "slow:every=1:ms=200:on=submit" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, 6000) g;
            """);
        await env.TargetSql(targetDdl);
        return env;
    }

    private static string Table(string extra) =>
        $$"""[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"]{{extra}} } ]""";

    /// <summary>Starts sfpg on the config and kills it (SIGKILL) once <paramref name="chunks"/> of its chunks have committed.</summary>
    private static async Task<Guid> KilledAfterChunksAsync(MigrationEnvironment env, string configFile, int chunks, params string[] more)
    {
        var runsBefore = await RunIdsAsync(env);
        using var sfpg = SfpgProcess.Start(["migrate", "--config", configFile, .. more]);
        Guid runId = default;
        await Eventually.True(async () =>
        {
            var started = (await RunIdsAsync(env)).Except(runsBefore).ToList();
            if (started.Count != 1)
            {
                return false;
            }

            runId = started[0];
            return await env.TargetScalar<long>(
                $"SELECT count(*) FROM migration_status.migration_chunk_status WHERE run_id = '{runId}' AND status = 'completed'") >= chunks;
        }, Wait, $"{chunks} chunks committed by sfpg");
        sfpg.KillNow();
        // A COMMIT the process sent just before it died still completes on the server: wait until its sessions are gone.
        await Eventually.True(async () => await env.TargetScalar<long>(
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{env.Target}' AND application_name = 'SnowPgMigration'") == 0,
            Wait, "the killed process's sessions ended");
        return runId;
    }

    private static async Task<List<Guid>> RunIdsAsync(MigrationEnvironment env)
    {
        try
        {
            return await env.TargetColumn<Guid>("SELECT run_id FROM migration_status.migration_runs");
        }
        catch (Npgsql.PostgresException)
        {
            return [];
        }
    }

    [Theory]
    [InlineData("truncate_onstart", "CREATE TABLE numbers (id bigint, v text)", """, "truncate_onstart": true""")]
    [InlineData("keyed copy", "CREATE TABLE numbers (id bigint PRIMARY KEY, v text)", """, "uniqueness_columns": ["id"]""")]
    public async Task A_killed_run_resumed_after_a_newer_run_loaded_its_table_leaves_that_load_alone_and_force_replans_it(string kind, string ddl, string extra)
    {
        await using var env = await WithNumbers(ddl);
        var configFile = env.ConfigFile(Table(extra), batchSize: 500);
        var config = env.Config(Table(extra), batchSize: 500);

        var killed = await KilledAfterChunksAsync(env, configFile, chunks: 5);
        var newer = (await env.RunAsync(config, new MigrationOptions { NoResume = true })).Runs.Single();
        newer.Status.Should().Be(RunStatus.Completed, newer.Error);
        var source = await env.SourceFingerprint("NUMBERS");
        (await env.TargetFingerprint("numbers")).Should().Be(source, $"{kind}: the newer run loaded the whole table");

        var resumed = (await env.RunAsync(config, new MigrationOptions { ResumeRunId = killed })).Runs.Single();

        resumed.RunId.Should().Be(killed);
        var table = resumed.Tables.Single();
        table.ErrorCode.Should().Be("SFPG4208", kind);
        table.Error.Should().Contain(newer.RunId.ToString());
        (await env.TargetFingerprint("numbers")).Should().Be(source, $"{kind}: the older run appended nothing");

        var forced = (await env.RunAsync(config, new MigrationOptions { ResumeRunId = killed, Force = true })).Runs.Single();

        forced.Status.Should().Be(RunStatus.Completed, forced.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(source, $"{kind}: re-planned inside the older run, the table still equals the source");
    }

    [Fact]
    public async Task A_joiner_of_a_run_whose_owner_died_cannot_commit_into_a_table_a_newer_run_took_over()
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint, v text)");
        var configFile = env.ConfigFile(Table(""", "truncate_onstart": true"""), batchSize: 250, parallelThreads: 2);
        var config = env.Config(Table(""", "truncate_onstart": true"""), batchSize: 250);

        using var owner = SfpgProcess.Start("migrate", "--config", configFile);
        await Eventually.True(async () => await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0, Wait, "the owner planned and committed a chunk");
        var oldRun = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
        using var joiner = SfpgProcess.Start("migrate", "--config", configFile, "--join", oldRun.ToString());
        await Eventually.True(async () => await env.TargetScalar<long>(
            $"SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'in_progress' AND worker_id LIKE '%:{joiner.Id}:%'") > 0,
            Wait, "the joiner holds a claim");
        owner.KillNow();

        // The owner's process is gone from this host, so its run no longer counts as live while the joiner still loads it.
        var newer = (await env.RunAsync(config, new MigrationOptions { NoResume = true })).Runs.Single();
        var joinerExit = await joiner.WaitAsync(Wait);

        newer.RunId.Should().NotBe(oldRun);
        newer.Status.Should().Be(RunStatus.Completed, newer.Error);
        (await env.TargetScalar<long>("SELECT count(*) - count(DISTINCT id) FROM numbers")).Should().Be(0, "the old run's joiner committed no rows after the newer run took the table");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        joinerExit.Should().NotBe(0, joiner.Output + joiner.Error);
        joiner.Output.Should().Contain($"run {newer.RunId} (source 'test') has taken it over from run {oldRun}");
        var refused = await env.TargetColumn<string>(
            $"SELECT error FROM migration_status.migration_chunk_status WHERE run_id = '{oldRun}' AND status = 'failed'");
        refused.Should().NotBeEmpty("the joiner's chunks after the take-over failed rather than committed")
            .And.OnlyContain(e => e.Contains($"Table public.numbers: run {newer.RunId}") && e.Contains("rolled back"));
    }

    [Fact]
    public async Task A_keyless_table_a_killed_run_half_loaded_is_refused_to_a_fresh_run_and_finished_by_resuming_its_own()
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint, v text)");
        var configFile = env.ConfigFile(Table(""), batchSize: 500);
        var config = env.Config(Table(""), batchSize: 500);

        var killed = await KilledAfterChunksAsync(env, configFile, chunks: 5);
        var fresh = (await env.RunAsync(config, new MigrationOptions { NoResume = true })).Runs.Single();
        fresh.Tables.Single().ErrorCode.Should().Be("SFPG2106", "a fresh run never appends to a keyless table with rows");

        var resumed = (await env.RunAsync(config, new MigrationOptions { ResumeRunId = killed })).Runs.Single();

        resumed.Status.Should().Be(RunStatus.Completed, resumed.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task Two_configs_sharing_a_source_name_and_a_table_each_crashed_resume_one_after_the_other_without_duplicates()
    {
        await using var env = await WithNumbers("CREATE TABLE numbers (id bigint, v text)");
        var first = env.ConfigFile(Table(""", "truncate_onstart": true"""), batchSize: 500);
        var json = JsonNode.Parse(env.ConfigJson(Table(""", "truncate_onstart": true, "source_filter": "\"ID\" > 0" """), batchSize: 500))!;
        var secondFile = env.ConfigFile(Table(""", "truncate_onstart": true, "source_filter": "\"ID\" > 0" """), batchSize: 500);
        var second = ConfigLoader.Parse(json.ToJsonString()).GetConfigOrThrow();

        var firstRun = await KilledAfterChunksAsync(env, first, chunks: 3);
        var secondRun = await KilledAfterChunksAsync(env, secondFile, chunks: 3);
        var afterCrashes = await env.TargetFingerprint("numbers");

        // The first config's command resumes its own run: the table was loaded by the second since, so it is left alone.
        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", first);
        exitCode.Should().NotBe(0, output);
        (output + error).Should().Contain("SFPG4208").And.Contain(secondRun.ToString());
        (await env.TargetFingerprint("numbers")).Should().Be(afterCrashes, "the superseded run wrote nothing");

        var resumed = (await env.RunAsync(second)).Runs.Single();

        resumed.RunId.Should().Be(secondRun);
        resumed.Status.Should().Be(RunStatus.Completed, resumed.Error);
        (await env.TargetScalar<long>("SELECT count(*) - count(DISTINCT id) FROM numbers")).Should().Be(0);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        firstRun.Should().NotBe(secondRun);
    }
}
