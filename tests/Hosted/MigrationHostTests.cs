using System.Management.Automation;
using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Tests.Hosted.Infrastructure;

namespace SnowPgMigration.Tests.Hosted;

/// <summary>Start-SfPgMigration in a real runspace against the emulator: its objects, progress and error records.</summary>
public sealed class MigrationHostTests : IDisposable
{
    private readonly HostedSession _session = new();
    private readonly List<string> _files = [];
    private string? _target;

    public void Dispose()
    {
        _session.Dispose();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_migration_writes_progress_ending_completed_and_one_verified_run_object()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { PostgresConnectionString = await PostgresServer.ConnectionStringAsync() });
        var config = await ArrangeAsync(emulator, rows: 3000);

        var result = _session.Run("Start-SfPgMigration -ConfigPath $config -NoResume -Force", new Dictionary<string, object?> { ["config"] = config });

        result.Errors.Should().BeEmpty();
        var run = result.Output.Single();
        run.TypeNames[0].Should().Be("SnowPgMigration.PowerShell.Models.SfPgRun");
        run.Properties["Status"].Value.Should().Be("completed");
        run.Properties["RowsCopied"].Value.Should().Be(3000L);
        // One activity per table, closed when the table is done (short tables may show only that record).
        var table = result.Progress.Where(p => p.Activity.EndsWith("-> public.numbers", StringComparison.Ordinal)).ToList();
        table.Should().NotBeEmpty();
        table[^1].RecordType.Should().Be(ProgressRecordType.Completed);
        table[^1].StatusDescription.Should().Contain("3,000 of 3,000 rows");
    }

    [Fact]
    public async Task WhatIf_plans_writes_nothing_and_a_table_it_cannot_plan_is_an_error_record()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { PostgresConnectionString = await PostgresServer.ConnectionStringAsync() });
        var config = await ArrangeAsync(emulator, rows: 500, extraTable: """, { "source": "NO_SUCH_TABLE", "target": "elsewhere", "chunking_columns": ["ID"], "chunking_column_types": ["bigint"], "truncate_onstart": true }""");

        var result = _session.Run("Start-SfPgMigration -ConfigPath $config -WhatIf; $?", new Dictionary<string, object?> { ["config"] = config });

        result.Output.Select(o => o.BaseObject).OfType<bool>().Single().Should().BeFalse("a table that cannot be planned makes the command fail");
        result.Output.Where(o => o.TypeNames[0].EndsWith("SfPgPlan", StringComparison.Ordinal)).Should().HaveCount(2);
        var error = result.Errors.Single();
        error.FullyQualifiedErrorId.Should().EndWith(",SnowPgMigration.PowerShell.Commands.StartSfPgMigrationCommand");
        error.Exception.Message.Should().Contain("NO_SUCH_TABLE");
    }

    [Fact]
    public async Task Stopping_the_pipeline_returns_only_after_the_run_is_recorded_cancelled_with_its_indexes_back()
    {
        // Every statement takes 400 ms, so the stop comes while most chunks are still to be copied.
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            PostgresConnectionString = await PostgresServer.ConnectionStringAsync(),
            Faults = "slow:every=1:ms=400:on=submit",
        });
        var config = await ArrangeAsync(
            emulator,
            rows: 5000,
            tableOptions: """, "disable_index": true""",
            targetDdl: "ALTER TABLE numbers ADD CONSTRAINT numbers_pkey PRIMARY KEY (id); CREATE INDEX numbers_v_idx ON numbers (v);");
        const string Indexes = "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'numbers'";
        using var shell = _session.Prepare("Start-SfPgMigration -ConfigPath $config -NoResume -Force", new Dictionary<string, object?> { ["config"] = config });
        var pipeline = shell.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await TargetScalarAsync<long>(Indexes) == 0
            && await TargetScalarAsync<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'completed'") > 0))
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the run drops the indexes and completes a chunk within a minute");
            pipeline.IsCompleted.Should().BeFalse("the run is still going");
            await Task.Delay(100);
        }

        // What Ctrl+C, Stop-Job and [powershell]::Stop() do: StopProcessing on a thread of their own.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Run(shell.Stop);
        clock.Stop();

        // Read the moment the stop returned: a job host may end the process right now.
        (await TargetScalarAsync<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("cancelled");
        (await TargetScalarAsync<long>(Indexes)).Should().Be(2, "the primary key and the index are back before the stop returns");
        (await TargetScalarAsync<long>("SELECT count(*) FROM migration_status.migration_index_backup WHERE restored_at IS NULL")).Should().Be(0);
        (await TargetScalarAsync<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status <> 'completed'")).Should().BeGreaterThan(0, "the stop came mid-run");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), "the wait is bounded");
        pipeline.IsCompleted.Should().BeTrue("the pipeline has ended with the engine");
        shell.InvocationStateInfo.State.Should().Be(PSInvocationState.Stopped);
    }

    [Theory]
    [InlineData(new[] { "Yes", "Yes", "No" }, 3, false)]
    [InlineData(new[] { "Yes to All" }, 1, true)]
    [InlineData(new string[0], 0, true)]
    public async Task Each_table_that_would_be_emptied_is_asked_about_and_a_no_runs_nothing(string[] answers, int questions, bool runs)
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions { PostgresConnectionString = await PostgresServer.ConnectionStringAsync() });
        var config = await ArrangeAsync(
            emulator,
            rows: 300,
            extraTable: """
                , { "source": "NUMBERS", "target": "numbers_2", "chunking_columns": ["ID"], "chunking_column_types": ["bigint"], "truncate_onstart": true }
                , { "source": "NUMBERS", "target": "numbers_3", "chunking_columns": ["ID"], "chunking_column_types": ["bigint"], "truncate_onstart": true }
                """,
            targetDdl: "CREATE TABLE numbers_2 (LIKE numbers); CREATE TABLE numbers_3 (LIKE numbers); INSERT INTO numbers_3 VALUES (-1, 'kept');");
        var host = new AnsweringHost(answers);
        using var session = new HostedSession(host);

        // ConfirmImpact Medium asks nothing else at the default $ConfirmPreference; without answers, -Force.
        var result = session.Run($"Start-SfPgMigration -ConfigPath $config -NoResume{(answers.Length == 0 ? " -Force" : "")}", new Dictionary<string, object?> { ["config"] = config });

        host.Questions.Should().HaveCount(questions);
        string[] tables = ["numbers", "numbers_2", "numbers_3"];
        for (var i = 0; i < questions; i++)
        {
            host.Questions[i].Message.Should().Match($"Table public.{tables[i]} in database * will be emptied (truncate_onstart)*");
        }

        if (runs)
        {
            result.Errors.Should().BeEmpty();
            result.Output.Single().Properties["Status"].Value.Should().Be("completed");
            (await TargetScalarAsync<long>("SELECT count(*) FROM numbers_3")).Should().Be(300);
        }
        else
        {
            var declined = result.Errors.Single();
            declined.FullyQualifiedErrorId.Should().StartWith("SFPG5901,");
            declined.Exception.Message.Should().Contain("public.numbers_3").And.Contain("declined");
            result.Output.Should().BeEmpty();
            (await TargetScalarAsync<string>("SELECT string_agg(v, ',') FROM numbers_3")).Should().Be("kept", "a no empties nothing");
            var runsRecorded = await TargetScalarAsync<bool>("SELECT to_regclass('migration_status.migration_runs') IS NULL")
                ? 0
                : await TargetScalarAsync<long>("SELECT count(*) FROM migration_status.migration_runs");
            runsRecorded.Should().Be(0, "a no runs nothing");
        }
    }

    private Task<T> TargetScalarAsync<T>(string sql) =>
        Sql.ScalarAsync<T>(_target ?? throw new InvalidOperationException("ArrangeAsync sets the target first."), sql);

    /// <summary>A warehouse with table NUMBERS of <paramref name="rows"/> rows, an empty target and a config over both.</summary>
    private async Task<string> ArrangeAsync(EmulatorHost emulator, int rows, string extraTable = "", string tableOptions = "", string targetDdl = "")
    {
        var (warehouse, warehouseConnection) = await PostgresServer.CreateWarehouseAsync();
        await Sql.ExecuteAsync(
            warehouseConnection,
            $"""CREATE TABLE "PUBLIC"."NUMBERS" ("ID" bigint, "V" text); INSERT INTO "PUBLIC"."NUMBERS" SELECT g, 'v' || g FROM generate_series(1, {rows}) g;""");
        var target = new NpgsqlConnectionStringBuilder(await PostgresServer.CreateDatabaseAsync("target"));
        await Sql.ExecuteAsync(target.ConnectionString, "CREATE TABLE numbers (id bigint, v text); " + targetDdl);
        _target = target.ConnectionString;

        var path = Path.Combine(Path.GetTempPath(), $"sfpg-hosted-{warehouse}.json");
        await File.WriteAllTextAsync(path, $$"""
            {
              "snowflake": { "account": "sandbox", "user": "tester", "token": "${SFPG_HOSTED_TOKEN:-any}", "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
                             "host": "{{emulator.BaseUri.Host}}", "port": {{emulator.BaseUri.Port}}, "scheme": "http" },
              "postgres": { "host": "{{target.Host}}", "port": {{target.Port}}, "user": "{{target.Username}}" },
              "parallel_threads": 2,
              "batch_size": 500,
              "sources": [ { "source_name": "hosted", "source_sf_database": "\"{{warehouse}}\"", "source_sf_schema": "\"PUBLIC\"",
                             "target_pg_database": "{{target.Database}}", "target_pg_schema": "public",
                             "tables": [ { "source": "NUMBERS", "target": "numbers", "chunking_columns": ["ID"], "chunking_column_types": ["bigint"], "truncate_onstart": true{{tableOptions}} }{{extraTable}} ] } ]
            }
            """);
        _files.Add(path);
        return path;
    }
}
