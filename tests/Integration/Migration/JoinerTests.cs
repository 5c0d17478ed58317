using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>A process joining a run: killed, it is picked up at once; the owner alone records the verdict.</summary>
[Trait("Category", "Fault")]
public sealed class JoinerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_killed_joiner_s_chunks_are_taken_over_at_once_and_the_owner_completes_the_run()
    {
        await using var env = await MigrationEnvironment.StartAsync(o => o with { Faults = "slow:every=1:ms=400:on=submit" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, 8000) g;
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint, v text)");
        const string Table = """[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";
        var config = env.Config(Table, batchSize: 250, parallelThreads: 1);
        var configFile = env.ConfigFile(Table, batchSize: 250, parallelThreads: 2);

        // The owner would wait two minutes for a stale claim; a dead joiner on this host must not cost that.
        var owner = env.RunAsync(config, new MigrationOptions { StaleClaimAfter = TimeSpan.FromMinutes(10) });
        await Eventually.True(async () => await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0, Wait, "the owner planned and committed a chunk");
        var runId = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
        using (var joiner = SfpgProcess.Start("migrate", "--config", configFile, "--join", runId.ToString()))
        {
            await Eventually.True(async () => await env.TargetScalar<long>(
                $"SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'in_progress' AND worker_id LIKE '%:{joiner.Id}:%'") > 0,
                Wait, "the joiner holds a claim");
            joiner.KillNow();
        }

        var run = (await owner.WaitAsync(Wait)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status, jsonb_array_elements(error_history) e WHERE e->>'event' = 'claim_taken_over'"))
            .Should().BeGreaterThan(0);
        env.Warnings().Should().Contain(w => w.Contains("the process that claimed it has ended"));
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
    }

    [Fact]
    public async Task A_joiner_that_arrives_before_the_owner_planned_a_table_waits_for_the_plan_and_both_exit_0()
    {
        await using var env = await MigrationEnvironment.StartAsync(o => o with { Faults = "slow:every=1:ms=300:on=submit" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, 3000) g;
            """);
        await env.TargetSql("CREATE TABLE first (id bigint, v text); CREATE TABLE second (id bigint, v text);");
        const string Tables = """
            [ { "source": "NUMBERS", "target": "first", "chunking_columns": ["ID"], "chunking_column_types": ["int"] },
              { "source": "NUMBERS", "target": "second", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]
            """;
        var configFile = env.ConfigFile(Tables, batchSize: 300, parallelThreads: 1);

        using var owner = SfpgProcess.Start("migrate", "--config", configFile);
        await Eventually.True(async () => await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs") == 1, Wait, "the run is recorded");
        var runId = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_table_status WHERE table_name = 'second'"))
            .Should().Be(0, "the joiner arrives before the owner planned the second table");
        using var joiner = SfpgProcess.Start("migrate", "--config", configFile, "--join", runId.ToString());

        var ownerExit = await owner.WaitAsync(Wait);
        var joinerExit = await joiner.WaitAsync(Wait);

        ownerExit.Should().Be(0, owner.Output + owner.Error);
        joinerExit.Should().Be(0, joiner.Output + joiner.Error);
        (await env.TargetColumn<string>("SELECT status FROM migration_status.migration_table_status ORDER BY table_name")).Should().Equal("completed", "completed");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetFingerprint("first")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        (await env.TargetFingerprint("second")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }
}
