using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// What the status schema holds is data, never SQL: a resumed chunk reads the rows its stored bounds describe,
/// whatever its stored predicate text says. Its times are true: a chunk completes when its rows commit.
/// </summary>
public sealed class StatusDataTests
{
    private static MigrationEnvironment.Options Slow(int ms) => o => o with { Faults = $"slow:every=1:ms={ms}:on=submit" };

    [Fact]
    public async Task An_edited_chunk_predicate_cannot_read_another_table_on_resume()
    {
        await using var env = await MigrationEnvironment.StartAsync(Slow(200));
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, 3000) g;
            CREATE TABLE "PUBLIC"."SECRETS" ("S" text);
            INSERT INTO "PUBLIC"."SECRETS" VALUES ('canary-secret');
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint, v text)");
        var config = env.Config(
            """[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""", batchSize: 200);
        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(2) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);

        // The attack from the issue: close the chunk's parenthesis, append another table's rows, comment out the rest.
        await env.TargetSql($"""
            UPDATE migration_status.migration_chunk_status
               SET predicate = '1=0) UNION ALL SELECT 999999, "S" FROM "{env.Warehouse}"."PUBLIC"."SECRETS" --'
             WHERE status <> 'completed'
            """);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE predicate LIKE '%SECRETS%'"))
            .Should().BeGreaterThan(0, "some chunks were left for the resume");

        var resumed = (await env.RunAsync(config)).Runs.Single();

        resumed.RunId.Should().Be(first.RunId);
        resumed.Status.Should().Be(RunStatus.Completed, resumed.Error);
        (await env.TargetScalar<long>("SELECT count(*) FROM numbers WHERE id = 999999 OR v = 'canary-secret'")).Should().Be(0);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"),
            "each resumed chunk reads exactly the rows of its stored bounds");
    }

    [Fact]
    public async Task A_bound_edited_into_sql_fails_its_chunk_with_SFPG4040_and_reads_nothing()
    {
        await using var env = await MigrationEnvironment.StartAsync(Slow(200));
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, 3000) g;
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint, v text)");
        var config = env.Config(
            """[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""",
            batchSize: 200, maxRetryAttempts: 0);
        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(2) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);
        await env.TargetSql("""
            UPDATE migration_status.migration_chunk_status
               SET bounds = jsonb_set(bounds, '{lower}', '"0) OR (1 = 1"')
             WHERE status <> 'completed' AND bounds ? 'lower'
            """);

        var resumed = (await env.RunAsync(config)).Runs.Single();

        resumed.Status.Should().NotBe(RunStatus.Completed);
        (await env.TargetScalar<string>("SELECT string_agg(DISTINCT error, ' | ') FROM migration_status.migration_chunk_status WHERE status = 'failed'"))
            .Should().Contain("SFPG4040").And.Contain("'0) OR (1 = 1' is not a number value");
        (await env.TargetScalar<long>("SELECT count(*) FROM numbers")).Should().Be(
            await env.TargetScalar<long>("SELECT coalesce(sum(rows_copied), 0)::bigint FROM migration_status.migration_chunk_status WHERE status = 'completed'"),
            "only the untouched chunks were read");
    }

    [Fact]
    public async Task A_chunk_is_recorded_completed_when_its_rows_commit_not_when_its_transaction_began()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."TIMED" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."TIMED" SELECT g, md5(g::text) FROM generate_series(1, 1000) g;
            """);
        await env.TargetSql("CREATE TABLE timed (id bigint, v text)");
        var config = env.Config("""[ { "source": "TIMED", "target": "timed" } ]""", parallelThreads: 1, batchSize: 5000);

        // The chunk's COPY waits for this lock inside its transaction; its rows can only commit after the release.
        DateTime released;
        Task<MigrationResult> running;
        using (var hold = await TargetLock.TakeAsync(env.TargetConnection, "timed"))
        {
            running = env.RunAsync(config);
            await Eventually.True(
                async () => running.IsCompleted || await env.TargetScalar<long>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY \"public\".\"timed\"%' AND wait_event_type = 'Lock'") > 0,
                TimeSpan.FromSeconds(60), "the chunk's COPY waits for the lock");
            released = await env.TargetScalar<DateTime>("SELECT clock_timestamp()");
            await hold.ReleaseAsync();
        }

        (await running).Runs.Single().Status.Should().Be(RunStatus.Completed);
        var completed = await env.TargetScalar<DateTime>("SELECT completed_at FROM migration_status.migration_chunk_status");
        completed.Should().BeOnOrAfter(released, "the chunk's rows committed after the lock was released, so it cannot have completed before");
        (await env.TargetScalar<DateTime>("SELECT completed_at FROM migration_status.migration_table_status"))
            .Should().BeOnOrAfter(completed, "the table completed after its chunk");
    }
}
