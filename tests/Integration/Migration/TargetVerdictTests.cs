using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// A table's verdict reads the target back for every load method: counts per chunk range on both sides (and,
/// with <c>verify: checksums</c>, row checksums), so rows removed, added or changed behind the run are caught.
/// </summary>
public sealed class TargetVerdictTests
{
    private static async Task<MigrationEnvironment> WithAmounts()
    {
        var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."AMOUNTS" ("ID" bigint, "AMOUNT" numeric(38,9), "UPDATED" timestamp);
            INSERT INTO "PUBLIC"."AMOUNTS"
            SELECT g, g * 1.000000001, timestamp '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 2000) g;
            """);
        await env.TargetSql("CREATE TABLE amounts (id bigint PRIMARY KEY, amount numeric(38,9), updated timestamp)");
        return env;
    }

    private static string Upsert(string verify = "") =>
        $$"""
        [ { "source": "AMOUNTS", "target": "amounts", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"],
            "source_watermark": "UPDATED", "target_watermark": "updated"{{verify}} } ]
        """;

    /// <summary>A first row makes the load an upsert; a first run loads the rest.</summary>
    private static async Task<MigrationMigrated> LoadAsUpsert(MigrationEnvironment env, string verify = "")
    {
        await env.TargetSql("INSERT INTO amounts VALUES (1, 1.000000001, timestamp '2024-01-01 00:01')");
        var config = env.Config(Upsert(verify), batchSize: 500);
        var first = (await env.RunAsync(config)).Runs.Single();
        first.Status.Should().Be(RunStatus.Completed, first.Error);
        first.Tables.Single().LoadMethod.Should().Be("upsert");
        return new MigrationMigrated(config, first);
    }

    private sealed record MigrationMigrated(Engine.Config.MigrationConfig Config, RunResult First);

    [Fact]
    public async Task An_upsert_table_that_lost_and_gained_rows_behind_the_run_is_incomplete_naming_the_ranges()
    {
        await using var env = await WithAmounts();
        var (config, _) = await LoadAsUpsert(env);
        await env.TargetSql("DELETE FROM amounts WHERE id BETWEEN 101 AND 110");
        await env.TargetSql("INSERT INTO amounts VALUES (1000001, 1, timestamp '2020-01-01'), (1000002, 2, timestamp '2020-01-01')");

        var second = (await env.RunAsync(config)).Runs.Single();

        var table = second.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Incomplete, "the target no longer equals the source, whatever the chunks loaded");
        table.Verification.Should().Contain("source 2,000 rows, target 1,992 rows");
        (await env.TargetScalar<long>($"SELECT source_row_count FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'")).Should().Be(2000);
        (await env.TargetScalar<long>($"SELECT target_row_count FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'")).Should().Be(1992);
        (await env.TargetScalar<string>($"SELECT verify_method FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'")).Should().Be("counts");
        (await env.TargetScalar<string>($"""
            SELECT string_agg((r->>'source_rows') || '/' || (r->>'target_rows'), ' ' ORDER BY (r->>'range_id')::int)
            FROM migration_status.migration_table_status, jsonb_array_elements(differing_ranges) r WHERE run_id = '{second.RunId}'
            """)).Should().MatchRegex(@"^\d+/\d+ \d+/\d+$", "one range lost ten rows, the open-ended last range gained two");
        (await env.TargetScalar<long>($"""
            SELECT sum((r->>'source_rows')::bigint - (r->>'target_rows')::bigint)::bigint
            FROM migration_status.migration_table_status, jsonb_array_elements(differing_ranges) r WHERE run_id = '{second.RunId}'
            """)).Should().Be(8);
        env.Warnings().Should().Contain(w => w.Contains("INCOMPLETE") && w.Contains("sfpg repair"));
    }

    [Fact]
    public async Task A_numeric_changed_on_the_target_is_caught_by_checksums_and_not_by_counts()
    {
        await using var env = await WithAmounts();
        var (config, _) = await LoadAsUpsert(env, """, "verify": "checksums" """);
        // The last digit of one value, as a rounding column or a hand edit would leave it.
        await env.TargetSql("UPDATE amounts SET amount = amount + 0.000000001 WHERE id = 1500");

        var second = (await env.RunAsync(config)).Runs.Single();

        var table = second.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Incomplete);
        table.Verification.Should().Contain("by counts and checksums").And.Contain("1 of").And.Contain("checksums differ");
        (await env.TargetScalar<string>($"SELECT verify_method FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'")).Should().Be("checksums");

        var countsOnly = env.Config(Upsert(""", "verify": "counts" """), batchSize: 500);
        var third = (await env.RunAsync(countsOnly)).Runs.Single();
        third.Tables.Single().Status.Should().Be(ProgressStatus.Completed, "counts agree; only a checksum sees a changed value");
        third.Tables.Single().Verification.Should().Contain("target equals source by counts");
    }

    [Fact]
    public async Task A_table_whose_target_equals_the_source_is_completed_with_both_counts_recorded()
    {
        await using var env = await WithAmounts();
        var (_, first) = await LoadAsUpsert(env, """, "verify": "checksums" """);

        first.Tables.Single().Verification.Should().Contain("target equals source by counts and checksums").And.Contain("2,000 rows");
        (await env.TargetScalar<long>($"SELECT target_row_count FROM migration_status.migration_table_status WHERE run_id = '{first.RunId}'")).Should().Be(2000);
        (await env.TargetScalar<string>($"SELECT differing_ranges::text FROM migration_status.migration_table_status WHERE run_id = '{first.RunId}'")).Should().Be("[]");
    }
}
