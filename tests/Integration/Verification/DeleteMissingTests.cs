using SnowPgMigration.Engine.Status;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Verification;

/// <summary>delete_missing: rows deleted in the source between two incremental runs are deleted or marked on the target, under a ratio guard.</summary>
public sealed class DeleteMissingTests
{
    // A composite key with a text part: mixed case and non-ASCII, so both sides must order text byte-wise.
    private const string Source = """
        CREATE TABLE "PUBLIC"."ORDERS" ("REGION" text, "ID" bigint, "AMOUNT" numeric(38,2), "UPDATED_AT" timestamp);
        INSERT INTO "PUBLIC"."ORDERS"
        SELECT (ARRAY['EU', 'us', 'Ägypten', 'eu'])[1 + g % 4], g, g * 1.25, timestamp '2024-01-01' + g * interval '1 second'
        FROM generate_series(1, 400) g;
        """;

    private static string Tables(string options) => $$"""
        [ { "source": "ORDERS", "target": "orders", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
            "uniqueness_columns": ["region", "id"], "source_watermark": "UPDATED_AT", "target_watermark": "updated_at", {{options}} } ]
        """;

    private const string Columns = "region, id, amount, updated_at";
    private const string SourceColumns = "\"REGION\", \"ID\", \"AMOUNT\", \"UPDATED_AT\"";

    [Fact]
    public async Task Hard_deletes_the_rows_the_source_deleted_between_two_incremental_runs()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(Source);
        await env.TargetSql("CREATE TABLE orders (region text, id bigint, amount numeric(38,2), updated_at timestamp, PRIMARY KEY (region, id))");
        var config = env.Config(Tables("\"delete_missing\": \"hard\""), batchSize: 100);
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);

        await env.Source("""
            DELETE FROM "PUBLIC"."ORDERS" WHERE "ID" IN (3, 4, 5, 6, 200);
            UPDATE "PUBLIC"."ORDERS" SET "AMOUNT" = 1, "UPDATED_AT" = timestamp '2025-01-01' WHERE "ID" = 10;
            INSERT INTO "PUBLIC"."ORDERS" VALUES ('EU', 1000, 5, timestamp '2025-01-01');
            """);
        (await env.TargetFingerprint("orders")).Should().NotBe(await env.SourceFingerprint("ORDERS"));
        var second = (await env.RunAsync(config)).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        var table = second.Tables.Single();
        table.LoadMethod.Should().Be("upsert");
        table.Verification.Should().Contain("delete_missing hard: 5 row(s) gone from the source deleted");
        (await env.TargetFingerprint("orders")).Should().Be(await env.SourceFingerprint("ORDERS"));
        (await env.TargetScalar<long>("SELECT count(*) FROM orders")).Should().Be(396);
        (await env.TargetScalar<long>($"SELECT missing_rows_deleted FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'"))
            .Should().Be(5);
        (await env.TargetScalar<string>($"SELECT missing_delete_mode || ': ' || missing_sample_keys FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'"))
            .Should().Be("hard: region='EU', id=4; region='EU', id=200; region='eu', id=3; region='us', id=5; region='Ägypten', id=6");
    }

    [Fact]
    public async Task Soft_marks_the_rows_the_source_deleted_and_unmarks_a_row_that_came_back()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(Source);
        await env.TargetSql($"""
            CREATE TABLE orders (region text, id bigint, amount numeric(38,2), updated_at timestamp, deleted_at timestamptz, PRIMARY KEY (region, id));
            CREATE VIEW live_orders AS SELECT {Columns} FROM orders WHERE deleted_at IS NULL;
            """);
        var config = env.Config(Tables("\"delete_missing\": \"soft\", \"soft_delete_column\": \"deleted_at\""), batchSize: 100);
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);

        await env.Source("""DELETE FROM "PUBLIC"."ORDERS" WHERE "ID" IN (7, 8, 9)""");
        var before = DateTime.UtcNow.AddSeconds(-5);
        var second = (await env.RunAsync(config)).Runs.Single();

        second.Status.Should().Be(RunStatus.Completed, second.Error);
        (await env.TargetScalar<long>("SELECT count(*) FROM orders")).Should().Be(400, "soft deletes keep the rows");
        (await env.TargetColumn<long>("SELECT id FROM orders WHERE deleted_at IS NOT NULL ORDER BY id")).Should().Equal(7, 8, 9);
        (await env.TargetScalar<DateTime>("SELECT min(deleted_at) FROM orders")).Should().BeAfter(before);
        (await env.TargetScalar<bool>($"SELECT missing_detected_at = (SELECT max(deleted_at) FROM orders) FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'"))
            .Should().BeTrue("the status records the same detection time the rows got");
        (await env.TargetFingerprint("live_orders")).Should().Be(await env.SourceFingerprint("ORDERS", SourceColumns));

        // A marked row back in the source (newer watermark) is loaded and unmarked; the others stay marked at their first detection time.
        var firstMark = await env.TargetScalar<DateTime>("SELECT max(deleted_at) FROM orders");
        await env.Source("""INSERT INTO "PUBLIC"."ORDERS" VALUES ('us', 9, 9.99, timestamp '2025-01-01')""");
        var third = (await env.RunAsync(config)).Runs.Single();

        third.Status.Should().Be(RunStatus.Completed, third.Error);
        third.Tables.Single().Verification.Should().Contain("delete_missing soft: 0 row(s) gone from the source marked, 1 back in the source unmarked");
        (await env.TargetColumn<long>("SELECT id FROM orders WHERE deleted_at IS NOT NULL ORDER BY id")).Should().Equal(7, 8);
        (await env.TargetScalar<DateTime>("SELECT max(deleted_at) FROM orders")).Should().Be(firstMark);
        (await env.TargetFingerprint("live_orders")).Should().Be(await env.SourceFingerprint("ORDERS", SourceColumns));
    }

    [Fact]
    public async Task More_deletes_than_max_delete_ratio_are_refused_and_nothing_is_deleted()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(Source);
        await env.TargetSql("CREATE TABLE orders (region text, id bigint, amount numeric(38,2), updated_at timestamp, PRIMARY KEY (region, id))");
        var config = env.Config(Tables("\"delete_missing\": \"hard\""), batchSize: 100);
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);
        var loaded = await env.TargetFingerprint("orders");

        await env.Source("""DELETE FROM "PUBLIC"."ORDERS" WHERE "ID" <= 41""");
        var second = (await env.RunAsync(config)).Runs.Single();

        second.Status.Should().Be(RunStatus.Failed);
        var table = second.Tables.Single();
        table.ErrorCode.Should().Be("SFPG4432");
        table.Error.Should().Contain("Table public.orders").And.Contain($"run {second.RunId}")
            .And.Contain("41 of the target's 400 rows (10.3 %)").And.Contain("max_delete_ratio 0.1 allows (40 rows)").And.Contain("Nothing was deleted");
        (await env.TargetFingerprint("orders")).Should().Be(loaded);
        (await env.TargetScalar<string>($"SELECT status FROM migration_status.migration_table_status WHERE run_id = '{second.RunId}'")).Should().Be("failed");

        // Raising the ratio lets the same deletes through.
        var raised = env.Config(Tables("\"delete_missing\": \"hard\", \"max_delete_ratio\": 0.2"), batchSize: 100);
        (await env.RunAsync(raised, new Engine.Execution.MigrationOptions { NoResume = true })).Runs.Single().Status.Should().Be(RunStatus.Completed);
        (await env.TargetFingerprint("orders")).Should().Be(await env.SourceFingerprint("ORDERS"));
    }

    [Fact]
    public async Task A_soft_delete_column_that_is_not_timestamptz_is_refused()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(Source);
        await env.TargetSql("CREATE TABLE orders (region text, id bigint, amount numeric(38,2), updated_at timestamp, deleted_at date, PRIMARY KEY (region, id))");
        var config = env.Config(Tables("\"delete_missing\": \"soft\", \"soft_delete_column\": \"deleted_at\""), batchSize: 100);
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);
        await env.Source("""DELETE FROM "PUBLIC"."ORDERS" WHERE "ID" = 1""");

        var table = (await env.RunAsync(config)).Runs.Single().Tables.Single();

        table.ErrorCode.Should().Be("SFPG4433");
        table.Error.Should().Contain("soft_delete_column \"deleted_at\" is date, not timestamp with time zone");
        (await env.TargetScalar<long>("SELECT count(*) FROM orders WHERE deleted_at IS NOT NULL")).Should().Be(0);
    }
}
