using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// Rows whose uniqueness key is NULL cannot be upserted (ON CONFLICT never matches NULL): such a table
/// is refused at planning, naming the column(s) and the count, before anything is written.
/// </summary>
public sealed class NullUniquenessKeyTests
{
    private static async Task<MigrationEnvironment> WithOrders()
    {
        var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ORDERS" ("ID" bigint, "REGION" text, "AMOUNT" numeric(10,2));
            INSERT INTO "PUBLIC"."ORDERS" SELECT g, 'r' || (g % 3), g * 1.5 FROM generate_series(1, 500) g;
            INSERT INTO "PUBLIC"."ORDERS" VALUES (NULL, 'r1', 1.00), (NULL, 'r2', 2.00), (501, NULL, 3.00);
            """);
        // A row already in the target makes the table an upsert (or insert-only) load.
        await env.TargetSql("""
            CREATE TABLE orders (id bigint, region text, amount numeric(10,2), UNIQUE (id, region));
            INSERT INTO orders VALUES (1, 'r1', 1.50);
            """);
        return env;
    }

    private static string Table(string extra = "") =>
        $$"""[ { "source": "ORDERS", "target": "orders", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id", "region"]{{extra}} } ]""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Null_uniqueness_keys_are_refused_at_planning_naming_each_column_and_count_and_the_target_is_untouched(bool insertOnly)
    {
        await using var env = await WithOrders();
        var before = await env.TargetFingerprint("orders");
        var config = env.Config(Table($$""", "insert_only_mode": {{(insertOnly ? "true" : "false")}}"""));

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var run = (await env.RunAsync(config, new MigrationOptions { NoResume = true })).Runs.Single();

            run.Status.Should().Be(RunStatus.Failed);
            var table = run.Tables.Single();
            table.ErrorCode.Should().Be("SFPG4110");
            table.Error.Should().Contain("orders").And.Contain("3 row(s)").And.Contain("\"ID\" in 2").And.Contain("\"REGION\" in 1");
            (await env.TargetFingerprint("orders")).Should().Be(before, "nothing is written, however often the run is repeated");
        }

        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status")).Should().Be(0, "the table was refused before it was planned");
    }

    [Fact]
    public async Task Null_keys_outside_the_planned_scope_do_not_stop_the_load()
    {
        await using var env = await WithOrders();
        var config = env.Config(Table(""", "source_filter": "\"ID\" IS NOT NULL AND \"REGION\" IS NOT NULL" """));

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        run.Tables.Single().LoadMethod.Should().Be("upsert");
        // The target holds exactly the source's rows in scope.
        await env.Source("""DELETE FROM "PUBLIC"."ORDERS" WHERE "ID" IS NULL OR "REGION" IS NULL""");
        (await env.TargetFingerprint("orders")).Should().Be(await env.SourceFingerprint("ORDERS"));
    }
}
