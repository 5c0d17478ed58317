using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

public sealed class FullLoadTests
{
    [Fact]
    public async Task A_sparse_id_table_arrives_whole_with_every_chunk_verified()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ORDERS" ("ID" bigint, "AMOUNT" numeric(12,2), "NOTE" text);
            INSERT INTO "PUBLIC"."ORDERS" SELECT 1 + (g * 197) % 1000, g / 100.0, 'n' || g FROM generate_series(1, 50) g;
            INSERT INTO "PUBLIC"."ORDERS" SELECT 5000001 + g, g / 100.0, NULL FROM generate_series(1, 12000) g;
            """);
        await env.TargetSql("CREATE TABLE orders (id bigint, amount numeric(12,2), note text)");
        var config = env.Config("""[ { "source": "ORDERS", "target": "orders", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""");

        var result = await env.RunAsync(config);

        var run = result.Runs.Should().ContainSingle().Subject;
        run.Status.Should().Be(RunStatus.Completed, run.Error);
        var table = run.Tables.Should().ContainSingle().Subject;
        table.LoadMethod.Should().Be("copy");
        table.RowsCopied.Should().Be(12050);
        table.Chunks.Should().BeGreaterThan(10);
        (await env.TargetScalar<long>("SELECT count(*) FROM orders")).Should().Be(12050);
        (await env.TargetScalar<decimal>("SELECT sum(amount) FROM orders")).Should().Be(Enumerable.Range(1, 50).Sum(g => g / 100m) + Enumerable.Range(1, 12000).Sum(g => g / 100m));
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");

        // Every line the run logged is a declared message with its event id and values: started, planned, committed, ended.
        var lines = env.LogLines();
        lines.Should().OnlyContain(e => e.EventId > 0 && e.EventName != null, "no engine line is free text");
        lines.Select(e => e.EventName).Should().Contain(["RunStarted", "TablePlanned", "ChunkCommitted", "RunEnded"]);
        lines.Single(e => e.EventName == "TablePlanned").Properties.Should().Contain(new KeyValuePair<string, object?>("Table", "orders"));
        lines.Where(e => e.EventName == "ChunkCommitted").Sum(e => (long)e.Properties.Single(p => p.Key == "Rows").Value!).Should().Be(12050);
    }
}
