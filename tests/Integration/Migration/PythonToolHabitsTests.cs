using System.Text.Json.Nodes;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>The older Python tool's habits have their equivalent: source lists, its resume window, ANALYZE after a load.</summary>
public sealed class PythonToolHabitsTests
{
    private const string Numbers = """[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";

    [Fact]
    public async Task A_comma_separated_source_list_runs_each_named_source_and_no_other()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, 'v' || g FROM generate_series(1, 300) g;
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint, v text); CREATE TABLE numbers_b (id bigint, v text); CREATE TABLE numbers_c (id bigint, v text);");
        var json = JsonNode.Parse(env.ConfigJson(Numbers))!;
        foreach (var name in new[] { "b", "c" })
        {
            var other = json["sources"]![0]!.DeepClone();
            other["source_name"] = name;
            other["tables"]![0]!["target"] = "numbers_" + name;
            json["sources"]!.AsArray().Add(other);
        }

        var path = Path.Combine(Path.GetTempPath(), $"sfpg-sources-{env.Target}.json");
        File.WriteAllText(path, json.ToJsonString());
        try
        {
            var (invalid, invalidOutput, _) = await SfpgProcess.RunAsync(TimeSpan.FromSeconds(60), "validate", "--config", path, "--source", "test,nosuch");
            invalid.Should().Be(1);
            invalidOutput.Should().Contain("SFPG1019").And.Contain("'nosuch'");

            var (exitCode, output, error) = await SfpgProcess.RunAsync(TimeSpan.FromSeconds(120), "migrate", "--config", path, "--source", "test, c");

            exitCode.Should().Be(0, output + error);
            (await env.TargetScalar<long>("SELECT count(*) FROM numbers")).Should().Be(300);
            (await env.TargetScalar<long>("SELECT count(*) FROM numbers_c")).Should().Be(300);
            (await env.TargetScalar<long>("SELECT count(*) FROM numbers_b")).Should().Be(0, "source b was not named");
            (await env.TargetColumn<string>("SELECT source_name FROM migration_status.migration_runs ORDER BY source_name"))
                .Should().Equal("c", "test");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_unfinished_run_a_hundred_hours_old_is_resumed_by_default_as_the_older_tools_168_hour_window_did()
    {
        await using var env = await MigrationEnvironment.StartAsync(o => o with { Faults = "slow:every=1:ms=150:on=submit" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, 'v' || g FROM generate_series(1, 4000) g;
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint, v text)");
        var config = env.Config(Numbers, batchSize: 200);
        var first = (await env.RunAsync(config, new MigrationOptions { MaxDuration = TimeSpan.FromSeconds(1.5) })).Runs.Single();
        first.Status.Should().Be(RunStatus.Partial);
        await env.TargetSql("UPDATE migration_status.migration_runs SET heartbeat_at = now() - interval '100 hours'");

        var second = (await env.RunAsync(config)).Runs.Single();

        second.RunId.Should().Be(first.RunId, "a run 100 hours old is inside the default 168-hour window");
        second.Status.Should().Be(RunStatus.Completed, second.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task Each_table_is_analyzed_after_it_loads_and_its_chunks_load_with_synchronous_commit_off()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, 'v' || g FROM generate_series(1, 3000) g;
            """);
        // The test server runs with synchronous_commit off; this database's sessions start with it on, as on a production server.
        await env.TargetSql($"ALTER DATABASE \"{env.Target}\" SET synchronous_commit = on; ALTER DATABASE \"{env.Target}\" SET jit = on");

        // A statement trigger sees the settings of the transaction that loads each chunk.
        await env.TargetSql("""
            CREATE TABLE numbers (id bigint, v text);
            CREATE TABLE load_settings (synchronous_commit text, jit text);
            CREATE FUNCTION record_load_settings() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO load_settings VALUES (current_setting('synchronous_commit'), current_setting('jit'));
                RETURN NULL;
            END $$;
            CREATE TRIGGER record_load_settings AFTER INSERT ON numbers FOR EACH STATEMENT EXECUTE FUNCTION record_load_settings();
            """);
        var config = env.Config(Numbers, batchSize: 1000);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<long>("SELECT count(*) FROM numbers")).Should().Be(3000);
        (await env.TargetScalar<bool>("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relid = 'public.numbers'::regclass"))
            .Should().BeTrue("the table is analyzed once it has loaded");
        (await env.TargetScalar<float>("SELECT reltuples FROM pg_class WHERE oid = 'public.numbers'::regclass")).Should().Be(3000);
        (await env.TargetColumn<string>("SELECT DISTINCT synchronous_commit || '/' || jit FROM load_settings")).Should().Equal("off/off");
        (await env.TargetScalar<long>("SELECT count(*) FROM load_settings")).Should().BeGreaterThan(1, "every chunk's transaction has them");
    }

    [Fact]
    public async Task The_target_count_script_gives_each_tables_exact_row_count_keyed_to_compare_with_the_source_script()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.TargetSql("""
            CREATE TABLE numbers (id bigint);
            INSERT INTO numbers SELECT g FROM generate_series(1, 1234) g;
            CREATE SCHEMA sales;
            CREATE TABLE sales."Order Lines" (id bigint);
            INSERT INTO sales."Order Lines" SELECT g FROM generate_series(1, 7) g;
            CREATE TABLE sales.empty_table (id bigint);
            """);

        var (exitCode, output, errors) = await Psql.RunScriptAsync(env.TargetConnection, "sql/count_target_tables.sql", "--csv");

        errors.Should().BeEmpty();
        exitCode.Should().Be(0);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "table_schema,table_name,table_key,row_count",
            "public,numbers,numbers,1234",
            "sales,Order Lines,order lines,7",
            "sales,empty_table,empty_table,0");

        var (_, salesOnly, _) = await Psql.RunScriptAsync(env.TargetConnection, "sql/count_target_tables.sql", "--csv", "-v", "schema=sales");
        salesOnly.Should().NotContain("numbers").And.Contain("Order Lines");
        File.Exists(RepositoryFiles.Path("sql/count_source_tables.sql")).Should().BeTrue("the Snowflake side has its script");
    }

    [Fact]
    public async Task A_table_whose_chunks_all_meet_the_same_permission_error_stops_after_three_and_leaves_the_rest_pending()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, 'v' || g FROM generate_series(1, 2000) g;
            """);
        // Every insert into the table is refused as a missing privilege is: the same cause for every chunk.
        await env.TargetSql("""
            CREATE TABLE numbers (id bigint, v text);
            CREATE FUNCTION refuse_load() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'permission denied for table numbers' USING ERRCODE = '42501';
            END $$;
            CREATE TRIGGER refuse_load BEFORE INSERT ON numbers FOR EACH ROW EXECUTE FUNCTION refuse_load();
            """);
        var config = env.Config(Numbers, parallelThreads: 1, batchSize: 100);

        var run = (await env.RunAsync(config)).Runs.Single();

        var table = run.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Failed);
        table.ErrorCode.Should().Be("SFPG4210");
        table.Error.Should().Contain("public.numbers").And.Contain("3 chunks in a row").And.Contain("permission denied for table numbers");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'failed'")).Should().Be(3);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status <> 'failed'"))
            .Should().Be(await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'pending'"))
            .And.BeGreaterThan(10, "the other chunks were never attempted and wait for a resume");
        (await env.TargetScalar<string>("SELECT error FROM migration_status.migration_table_status")).Should().Contain("3 chunks in a row");
    }
}
