using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// The source restarted while chunks stream their partitions: the new server no longer knows the statements
/// (000709), and each chunk's SELECT is simply submitted again.
/// </summary>
[Trait("Category", "Fault")]
public sealed class SourceRestartTests
{
    [Fact]
    public async Task A_source_restart_mid_fetch_resubmits_the_chunks_and_the_run_completes()
    {
        await using var env = await MigrationEnvironment.StartAsync(o => o with { PartitionRows = 300, Faults = "slow:every=1:ms=250:on=fetch" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, 12000) g;
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint, v text)");
        var config = env.Config("""[ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""",
            batchSize: 3000, maxRetryAttempts: 5);
        var port = env.Emulator.BaseUri.Port;

        var running = env.RunAsync(config);
        await Eventually.True(async () => await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'in_progress'") > 0, TimeSpan.FromSeconds(60), "chunks are streaming");
        await Task.Delay(400);
        await env.Emulator.DisposeAsync();
        await using var restarted = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            PostgresConnectionString = await PostgresServer.ConnectionStringAsync(), PartitionRows = 300, Port = port,
        });
        var run = (await running).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status, jsonb_array_elements(error_history) e WHERE e->>'error' LIKE '%000709%' OR e->>'error' LIKE '%not found%'"))
            .Should().BeGreaterThan(0, "a chunk met the restarted source's 'statement not found' and was submitted again");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }
}
