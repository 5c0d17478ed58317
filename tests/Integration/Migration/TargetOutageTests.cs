using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.LocalPostgres;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// The target server restarted or gone for seconds in the middle of a run: the run rides it out with its
/// retries and ends completed, with every row exactly once and its status recorded.
/// </summary>
[Trait("Category", "Fault")]
public sealed class TargetOutageTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static async Task<(LocalPostgresCluster Target, MigrationEnvironment Env)> StartAsync(int rows)
    {
        var target = await LocalPostgresCluster.StartAsync();
        var env = await MigrationEnvironment.StartAsync(o => o with { Faults = "slow:every=1:ms=200:on=submit" }, target);
        await env.Source($"""
            CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text);
            INSERT INTO "PUBLIC"."NUMBERS" SELECT g, md5(g::text) FROM generate_series(1, {rows}) g;
            """);
        await env.TargetSql("CREATE TABLE numbers (id bigint PRIMARY KEY, v text)");
        return (target, env);
    }

    private const string Table = """
        [ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"] } ]
        """;

    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task A_target_restart_mid_run_is_ridden_out_and_the_run_completes(string mode)
    {
        var (target, env) = await StartAsync(8000);
        await using var server = target;
        await using var _ = env;
        var config = env.Config(Table, batchSize: 400, maxRetryAttempts: 5);

        // The test server acknowledges commits before flushing them (synchronous_commit=off), so an immediate stop can
        // undo a chunk the worker saw commit - rows and status together - leaving its claim to go stale: keep that short.
        var running = env.RunAsync(config, new MigrationOptions { StaleClaimAfter = TimeSpan.FromSeconds(5) });
        await Eventually.True(async () => await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") >= 3, Wait, "three chunks committed");
        await target.RestartAsync(mode);
        var run = (await running).Runs.Single();
        Npgsql.NpgsqlConnection.ClearAllPools(); // the test's own pooled connections died with the server

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task An_eight_second_target_outage_is_ridden_out_and_the_verdict_is_recorded()
    {
        var (target, env) = await StartAsync(6000);
        await using var server = target;
        await using var _ = env;
        var config = env.Config(Table, batchSize: 400, maxRetryAttempts: 5);

        var running = env.RunAsync(config);
        await Eventually.True(async () => await env.TargetScalar<long>(
            "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") >= 2, Wait, "two chunks committed");
        await target.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(8));
        await target.StartAgainAsync();
        var run = (await running).Runs.Single();
        Npgsql.NpgsqlConnection.ClearAllPools(); // the test's own pooled connections died with the server

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetScalar<int>("SELECT tables_completed FROM migration_status.migration_runs")).Should().Be(1);
        lock (env.Events)
        {
            env.Events.OfType<SnowPgMigration.Engine.Reporting.LogEvent>().Should().Contain(e => e.Message.Contains("trying again"),
                "each retried status statement shows in verbose output");
        }

        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }

    [Fact]
    public async Task More_workers_than_the_server_has_connections_for_meet_back_pressure_not_failure()
    {
        var (target, env) = await StartAsync(6000);
        await using var server = target;
        await using var _ = env;
        // Leave the tool about 30 of the server's 300 connections, then ask for 64 workers (two connections each).
        var others = new List<Npgsql.NpgsqlConnection>();
        try
        {
            for (var i = 0; i < 265; i++)
            {
                var connection = new Npgsql.NpgsqlConnection(target.ConnectionString() + ";Pooling=false");
                await connection.OpenAsync();
                others.Add(connection);
            }

            var config = env.Config(Table, batchSize: 100);
            var run = (await env.RunAsync(config, new MigrationOptions { ThrottleLimit = 64 })).Runs.Single();

            run.Status.Should().Be(RunStatus.Completed, run.Error);
            env.Warnings().Should().Contain(w => w.Contains("64 workers asked for") && w.Contains("max_connections 300"));
            (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
        }
        finally
        {
            foreach (var connection in others)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Its_connections_terminated_every_two_seconds_the_run_still_completes_with_every_row_once()
    {
        var (target, env) = await StartAsync(8000);
        await using var server = target;
        await using var _ = env;
        var config = env.Config(Table, batchSize: 250, maxRetryAttempts: 10);
        using var stop = new CancellationTokenSource();
        var terminated = 0;
        var terminator = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                terminated += (int)await env.TargetScalar<long>(
                    "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'SnowPgMigration' AND pid <> pg_backend_pid()) t");
            }
        });

        var run = (await env.RunAsync(config)).Runs.Single();
        await stop.CancelAsync();
        await terminator;
        Npgsql.NpgsqlConnection.ClearAllPools();

        terminated.Should().BeGreaterThan(0, "the tool's sessions were cut while it worked");
        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetScalar<long>("SELECT count(*) - count(DISTINCT id) FROM numbers")).Should().Be(0);
        (await env.TargetFingerprint("numbers")).Should().Be(await env.SourceFingerprint("NUMBERS"));
    }
}
