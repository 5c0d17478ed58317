using System.Text.Json;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// sfpg verify and sfpg repair after a load: whatever changed on either side, verify names the differing ranges with
/// exact counts, repair re-loads exactly those ranges (extra rows only with --delete-extra, under the delete ratio),
/// and afterwards verify passes and the target equals the source by a fingerprint computed in SQL on both sides.
/// </summary>
public sealed class VerifyRepairTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>3,000 rows in three ranges of 1,000 (ids 1-1000, 1001-2000, 2001-3000), loaded by COPY and verified by checksums.</summary>
    /// <param name="keyed">Upserted by the key ID instead (uniqueness_columns), as the deep comparison reads keys.</param>
    private static async Task<(MigrationEnvironment Env, string ConfigPath)> LoadedAsync(bool keyed = false)
    {
        var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "AMOUNT" numeric(38,9), "AT" timestamp);
            INSERT INTO "PUBLIC"."NUMBERS"
            SELECT g, g * 1.000000001, timestamp '2024-01-01 00:00:00.000001' + g * interval '97 minutes' FROM generate_series(1, 3000) g;
            """);
        await env.TargetSql($"CREATE TABLE numbers (id bigint{(keyed ? " PRIMARY KEY" : "")}, amount numeric(38,9), at timestamp)");
        var tables = $$"""
            [ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                {{(keyed ? "\"uniqueness_columns\": [\"id\"]" : "\"truncate_onstart\": true")}}, "verify": "checksums" } ]
            """;
        var run = (await env.RunAsync(env.Config(tables))).Runs.Single();
        run.Status.Should().Be(RunStatus.Completed, run.Error);
        return (env, env.ConfigFile(tables));
    }

    private static async Task<(int ExitCode, JsonElement Json, string Error)> Sfpg(params string[] arguments)
    {
        var (exitCode, output, error) = await SfpgProcess.RunAsync(Timeout, [.. arguments, "--json"]);
        exitCode.Should().BeLessThan(2, error);
        return (exitCode, JsonDocument.Parse(output).RootElement.Clone(), error);
    }

    /// <summary>The differing ranges verify reports, as "source/target" counts.</summary>
    private static List<string> Ranges(JsonElement table) =>
        table.GetProperty("differingRanges").EnumerateArray()
            .Select(r => $"{r.GetProperty("sourceRows").GetInt64()}/{r.GetProperty("targetRows").GetInt64()}")
            .ToList();

    [Theory]
    [InlineData("target rows deleted", "target", "DELETE FROM numbers WHERE id BETWEEN 1500 AND 1509", "10 0 0", "missing id=1500")]
    [InlineData("the last digit of a numeric changed on the target", "target", "UPDATE numbers SET amount = amount + 0.000000001 WHERE id = 1500", "0 0 1", "changed id=1500")]
    [InlineData("one microsecond of a timestamp changed on the target", "target", "UPDATE numbers SET at = at + interval '1 microsecond' WHERE id = 2500", "0 0 1", "changed id=2500")]
    [InlineData("target rows added", "target", "INSERT INTO numbers SELECT g, g, NULL FROM generate_series(5001, 5005) g", "0 5 0", "extra id=5001")]
    [InlineData("source rows inserted", "source", """INSERT INTO "PUBLIC"."NUMBERS" SELECT g, g, NULL FROM generate_series(5001, 5005) g""", "5 0 0", "missing id=5001")]
    [InlineData("a source row updated", "source", """UPDATE "PUBLIC"."NUMBERS" SET "AMOUNT" = 0.5 WHERE "ID" = 10""", "0 0 1", "changed id=10")]
    [InlineData("source rows deleted", "source", """DELETE FROM "PUBLIC"."NUMBERS" WHERE "ID" BETWEEN 20 AND 24""", "0 5 0", "extra id=20")]
    public async Task Verify_deep_counts_missing_extra_and_changed_rows_with_their_first_keys(string change, string side, string sql, string counts, string firstKey)
    {
        var (env, configPath) = await LoadedAsync(keyed: true);
        await using var _ = env;
        var equal = await Sfpg("verify", "--config", configPath, "--deep");
        equal.ExitCode.Should().Be(0, "the load left the target equal");
        Deep(equal.Json.EnumerateArray().Single()).Should().Be("0 0 0");
        await (side == "target" ? env.TargetSql(sql) : env.Source(sql));

        var (exitCode, json, error) = await Sfpg("verify", "--config", configPath, "--deep");

        exitCode.Should().Be(1, error);
        var table = json.EnumerateArray().Single();
        Deep(table).Should().Be(counts, change);
        var range = table.GetProperty("differingRanges").EnumerateArray().Single();
        range.GetProperty("sampleKeys").EnumerateArray().Select(k => k.GetString()).First().Should().Be(firstKey, change);

        (await Sfpg("repair", "--config", configPath, "--table", "numbers", "--delete-extra")).ExitCode.Should().Be(0);
        Deep((await Sfpg("verify", "--config", configPath, "--deep")).Json.EnumerateArray().Single()).Should().Be("0 0 0");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    /// <summary>A deep verdict's "missing extra changed".</summary>
    private static string Deep(JsonElement table) =>
        $"{table.GetProperty("missing").GetInt64()} {table.GetProperty("extra").GetInt64()} {table.GetProperty("changed").GetInt64()}";

    [Theory]
    [InlineData("target rows deleted", "target", "DELETE FROM numbers WHERE id BETWEEN 1500 AND 1509", "1000/990", false)]
    [InlineData("the last digit of a numeric changed on the target", "target", "UPDATE numbers SET amount = amount + 0.000000001 WHERE id = 1500", "1000/1000", false)]
    [InlineData("one microsecond of a timestamp changed on the target", "target", "UPDATE numbers SET at = at + interval '1 microsecond' WHERE id = 2500", "1000/1000", false)]
    [InlineData("target rows added", "target", "INSERT INTO numbers SELECT g, g, NULL FROM generate_series(5001, 5005) g", "1000/1005", true)]
    [InlineData("source rows inserted", "source", """INSERT INTO "PUBLIC"."NUMBERS" SELECT g, g, NULL FROM generate_series(5001, 5005) g""", "1005/1000", false)]
    [InlineData("a source row updated", "source", """UPDATE "PUBLIC"."NUMBERS" SET "AMOUNT" = 0.5 WHERE "ID" = 10""", "1000/1000", false)]
    [InlineData("source rows deleted", "source", """DELETE FROM "PUBLIC"."NUMBERS" WHERE "ID" BETWEEN 20 AND 24""", "995/1000", true)]
    public async Task Verify_names_the_differing_range_exactly_and_repair_makes_the_target_equal_the_source(
        string change, string side, string sql, string range, bool extraRows)
    {
        var (env, configPath) = await LoadedAsync();
        await using var _ = env;
        (await Sfpg("verify", "--config", configPath)).ExitCode.Should().Be(0, "the load left the target equal");
        await (side == "target" ? env.TargetSql(sql) : env.Source(sql));
        var changedTarget = await env.TargetFingerprint("numbers");

        var verify = await Sfpg("verify", "--config", configPath);

        verify.ExitCode.Should().Be(1, change);
        var table = verify.Json.EnumerateArray().Single();
        table.GetProperty("table").GetString().Should().Be("public.numbers");
        table.GetProperty("status").GetString().Should().Be("different");
        table.GetProperty("method").GetString().Should().Be("checksums");
        Ranges(table).Should().Equal([range], change);

        var dryRun = await Sfpg("repair", "--config", configPath, "--table", "numbers", "--dry-run", "--delete-extra");
        dryRun.ExitCode.Should().Be(0);
        dryRun.Json.EnumerateArray().Single().GetProperty("rangesReloaded").GetArrayLength().Should().Be(1);
        (await env.TargetFingerprint("numbers")).Should().Be(changedTarget, "a dry run changes nothing");

        if (extraRows)
        {
            var refused = await Sfpg("repair", "--config", configPath, "--table", "numbers");
            refused.ExitCode.Should().Be(1, "a range with extra target rows is left alone without --delete-extra");
            refused.Json.EnumerateArray().Single().GetProperty("rangesSkipped").GetArrayLength().Should().Be(1);
            (await env.TargetFingerprint("numbers")).Should().Be(changedTarget);
        }

        var repair = extraRows
            ? await Sfpg("repair", "--config", configPath, "--table", "numbers", "--delete-extra")
            : await Sfpg("repair", "--config", configPath, "--table", "numbers");

        repair.ExitCode.Should().Be(0, repair.Error);
        var repaired = repair.Json.EnumerateArray().Single();
        repaired.GetProperty("status").GetString().Should().Be("equal");
        repaired.GetProperty("rowsCopied").GetInt64().Should().Be(long.Parse(range.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture),
            "only the differing range travelled");
        (await Sfpg("verify", "--config", configPath)).ExitCode.Should().Be(0);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        var runId = repaired.GetProperty("runId").GetGuid();
        (await env.TargetScalar<string>($"SELECT run_kind || ' ' || status FROM migration_status.migration_runs WHERE run_id = '{runId}'"))
            .Should().Be("repair completed");
    }

    [Fact]
    public async Task Repair_refuses_to_delete_more_than_the_maximum_ratio_naming_the_counts()
    {
        var (env, configPath) = await LoadedAsync();
        await using var _ = env;
        await env.TargetSql("INSERT INTO numbers SELECT g, g, NULL FROM generate_series(5001, 5400) g");
        var before = await env.TargetFingerprint("numbers");

        var (exitCode, _, error) = await SfpgProcess.RunAsync(Timeout, "repair", "--config", configPath, "--table", "numbers", "--delete-extra");

        exitCode.Should().Be(2);
        error.Should().Contain("SFPG4400").And.Contain("400 extra row(s) of the target's 3,400").And.Contain("10.0 %").And.Contain("public.numbers");
        (await env.TargetFingerprint("numbers")).Should().Be(before, "nothing was changed");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs WHERE run_kind = 'repair'")).Should().Be(0);

        var allowed = await SfpgProcess.RunAsync(Timeout, "repair", "--config", configPath, "--table", "numbers", "--delete-extra", "--max-delete-ratio", "0.2");
        allowed.ExitCode.Should().Be(0, allowed.Error);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task Verify_of_a_table_the_config_does_not_name_is_bad_input()
    {
        var (env, configPath) = await LoadedAsync();
        await using var _ = env;

        var (exitCode, _, error) = await SfpgProcess.RunAsync(Timeout, "verify", "--config", configPath, "--table", "no_such_table");

        exitCode.Should().Be(2);
        error.Should().Contain("SFPG4401").And.Contain("no_such_table");
    }
}
