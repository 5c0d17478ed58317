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
}
