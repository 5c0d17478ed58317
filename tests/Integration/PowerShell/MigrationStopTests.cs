using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.PowerShell.Commands;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.PowerShell;

/// <summary>
/// Start-SfPgMigration stopped the way PowerShell stops a pipeline (Ctrl+C, <c>[powershell]::Stop()</c>,
/// Stop-Job all call StopProcessing on a thread of their own): the stop returns only once the run is recorded.
/// </summary>
public sealed class MigrationStopTests
{
    private static readonly MethodInfo StopProcessing =
        typeof(Cmdlet).GetMethod("StopProcessing", BindingFlags.Instance | BindingFlags.NonPublic)!;

    [Fact]
    public async Task Stopping_Start_SfPgMigration_returns_only_after_the_run_is_recorded_cancelled_with_its_indexes_back()
    {
        await using var env = await MigrationEnvironment.StartAsync(o => o with { Faults = "slow:every=1:ms=400:on=submit" });
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "CODE" text, "V" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'c-' || g, md5(g::text) FROM generate_series(1, 5000) g;
            """);
        await env.TargetSql("""
            CREATE TABLE items (id bigint CONSTRAINT items_pkey PRIMARY KEY, code text, v text);
            CREATE INDEX items_code_idx ON items (code);
            """);
        const string Indexes = "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'items'";
        var configPath = env.ConfigFile("""
            [ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "disable_index": true } ]
            """, batchSize: 200);
        var runtime = new RecordingCommandRuntime();
        using var cmdlet = new StartSfPgMigrationCommand { ConfigPath = configPath, CommandRuntime = runtime };
        var config = cmdlet.LoadConfig();
        var pipeline = Task.Run(() => cmdlet.Migrate(config, StartSfPgMigrationCommand.BuildOptions(null, null, false, TimeSpan.FromHours(1), null, null, null, false)));
        await Eventually.True(async () => await env.TargetScalar<long>(Indexes) == 0
            && await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0, TimeSpan.FromSeconds(60));

        var clock = Stopwatch.StartNew();
        await Task.Run(() => StopProcessing.Invoke(cmdlet, null));
        clock.Stop();

        // Read the moment the stop returned: a job host may end the process right now.
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("cancelled");
        (await env.TargetScalar<long>(Indexes)).Should().Be(2, "the primary key and the index are back before the stop returns");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_index_backup WHERE restored_at IS NULL")).Should().Be(0);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the wait is bounded");
        var ended = await Task.WhenAny(pipeline, Task.Delay(TimeSpan.FromSeconds(10)));
        ended.Should().BeSameAs(pipeline, "the pipeline thread ends with the engine");
        try
        {
            (await pipeline).Runs.Single().Status.Should().Be(Engine.Status.RunStatus.Cancelled);
        }
        catch (PipelineStoppedException)
        {
            // Also how a stopped pipeline may end.
        }
    }
}
