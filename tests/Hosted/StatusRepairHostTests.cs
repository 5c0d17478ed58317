using System.Management.Automation;
using System.Text.Json;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Tests.Hosted.Infrastructure;

namespace SnowPgMigration.Tests.Hosted;

/// <summary>
/// The status cmdlets' queries and repairs in a real runspace against real PostgreSQL: filters, pipelines
/// across databases, what each repair changes in the status tables, and the errors of a database that is
/// not there or not named.
/// </summary>
public sealed class StatusRepairHostTests : IDisposable
{
    private readonly HostedSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public async Task Get_SfPgRun_lists_newest_first_and_filters_by_source_status_and_a_stopped_heartbeat()
    {
        var cs = await InstalledAsync();
        var failed = await InsertRunAsync(cs, "analytics", "failed", startedHoursAgo: 5, heartbeatHoursAgo: 5);
        var stuck = await InsertRunAsync(cs, "analytics", "running", startedHoursAgo: 3, heartbeatHoursAgo: 3);
        var live = await InsertRunAsync(cs, "analytics", "running", startedHoursAgo: 2, heartbeatHoursAgo: 0);
        var billing = await InsertRunAsync(cs, "billing", "completed", startedHoursAgo: 1, heartbeatHoursAgo: 1);

        var all = _session.Run("Get-SfPgRun -ConnectionString $cs", Vars(cs));

        all.Errors.Should().BeEmpty();
        all.Output.Select(r => (Guid)r.Properties["RunId"].Value).Should().Equal(billing, live, stuck, failed);
        all.Output.Select(r => r.Properties["Connection"].Value.ToString()).Distinct().Should().ContainSingle()
            .Which.Should().Contain(new NpgsqlConnectionStringBuilder(cs).Database!);
        (all.Output[0].Properties["Status"].Value, all.Output[0].Properties["Source"].Value).Should().Be(("completed", "billing"));
        _session.Run("Get-SfPgRun -ConnectionString $cs -Source analytics -Status running", Vars(cs)).Output
            .Select(r => (Guid)r.Properties["RunId"].Value).Should().Equal(live, stuck);
        _session.Run("Get-SfPgRun -ConnectionString $cs -Status running -Stale", Vars(cs)).Output
            .Select(r => (Guid)r.Properties["RunId"].Value).Should().Equal([stuck], "only the running run whose heartbeat is hours old is stale");
        _session.Run("Get-SfPgRun -ConnectionString $cs -Last 1", Vars(cs)).Output
            .Select(r => (Guid)r.Properties["RunId"].Value).Should().Equal(billing);
    }

    [Fact]
    public async Task Runs_of_two_databases_piped_to_Get_SfPgRunStatus_are_each_summarised_from_their_own_database()
    {
        var first = await InstalledAsync();
        var partly = await StatusDatabase.ArrangeRunAsync(first);
        var second = await InstalledAsync();
        var done = await StatusDatabase.ArrangeRunAsync(second);
        await Sql.ExecuteAsync(second, "UPDATE migration_status.migration_chunk_status SET status = 'completed', rows_copied = 100, error = NULL");

        var result = _session.Run(
            "@(Get-SfPgRun -ConnectionString $a -Status running) + @(Get-SfPgRun -ConnectionString $b -Status running) | Get-SfPgRunStatus",
            new Dictionary<string, object?> { ["a"] = first, ["b"] = second });

        result.Errors.Should().BeEmpty();
        var summaries = result.Output.ToDictionary(s => (Guid)s.Properties["RunId"].Value);
        summaries.Keys.Should().BeEquivalentTo([partly, done]);
        Value<int>(summaries[partly], "ChunksTotal").Should().Be(4);
        Value<int>(summaries[partly], "ChunksFailed").Should().Be(2);
        Value<int>(summaries[partly], "ChunksPending").Should().Be(1);
        Value<long>(summaries[partly], "RowsCopied").Should().Be(100);
        Value<int>(summaries[done], "ChunksCompleted").Should().Be(4);
        Value<double?>(summaries[done], "PercentComplete").Should().Be(100);
        Value<long>(summaries[done], "RowsCopied").Should().Be(400);
    }

    [Fact]
    public async Task A_table_status_piped_to_Get_SfPgChunk_lists_that_tables_chunks_only()
    {
        var cs = await InstalledAsync();
        var runId = await StatusDatabase.ArrangeRunAsync(cs);
        await Sql.ExecuteAsync(cs, $"""
            INSERT INTO migration_status.migration_table_status (run_id, table_name, source_table, target_schema, status, load_method, strategy)
            VALUES ('{runId}', 'customers', 'ANALYTICS.BI.CUSTOMERS', 'public', 'pending', 'copy', 'key_range');
            INSERT INTO migration_status.migration_chunk_status (run_id, table_name, chunk_id, strategy, expected_rows, status)
            VALUES ('{runId}', 'customers', 1, 'key_range', 100, 'pending'), ('{runId}', 'customers', 2, 'key_range', 100, 'pending');
            """);

        var tables = _session.Run("Get-SfPgTableStatus -ConnectionString $cs -RunId $id", Vars(cs, runId));
        var chunks = _session.Run("Get-SfPgTableStatus -ConnectionString $cs -RunId $id | Where-Object Table -eq customers | Get-SfPgChunk", Vars(cs, runId));

        tables.Errors.Should().BeEmpty();
        tables.Output.Select(t => ((string)t.Properties["Table"].Value, Value<int>(t, "ChunksTotal")))
            .Should().BeEquivalentTo([("customers", 2), ("orders", 4)]);
        chunks.Errors.Should().BeEmpty();
        chunks.Output.Select(c => ((string)c.Properties["Table"].Value, Value<int>(c, "ChunkId"))).Should().Equal(("customers", 1), ("customers", 2));
    }

    [Fact]
    public async Task Failed_chunks_piped_to_Reset_SfPgChunk_go_back_to_pending_with_their_error_kept_in_the_history()
    {
        var cs = await InstalledAsync();
        var runId = await StatusDatabase.ArrangeRunAsync(cs);

        var reset = _session.Run("Get-SfPgChunk -ConnectionString $cs -Status failed | Reset-SfPgChunk", Vars(cs));

        reset.Errors.Should().BeEmpty();
        reset.Output.Select(c => ((Guid)c.Properties["RunId"].Value, (string)c.Properties["Table"].Value, (int)c.Properties["ChunkId"].Value))
            .Should().Equal((runId, "orders", 2), (runId, "orders", 3));
        reset.Output.Should().OnlyContain(c => (string)c.Properties["Status"].Value == "pending"
            && (int)c.Properties["Attempts"].Value == 0 && c.Properties["Error"].Value == null);
        reset.Output.Select(c => LastHistoryError((string)c.Properties["ErrorHistory"].Value)).Should().Equal("connection reset", "value out of range");
        (await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'pending' AND attempts = 0")).Should().Be(3);
    }

    [Fact]
    public async Task A_completed_chunk_in_the_pipeline_is_an_item_error_the_rest_are_reset_and_Force_resets_it()
    {
        var cs = await InstalledAsync();
        var runId = await StatusDatabase.ArrangeRunAsync(cs);

        var all = _session.Run("Get-SfPgChunk -ConnectionString $cs | Reset-SfPgChunk", Vars(cs));

        var error = all.Errors.Single();
        error.FullyQualifiedErrorId.Should().Be($"{ErrorCatalog.ChunkResetRefused.Code},SnowPgMigration.PowerShell.Commands.ResetSfPgChunkCommand");
        error.Exception.Message.Should().Contain("Chunk 1 of table 'orders'");
        all.Output.Select(c => (int)c.Properties["ChunkId"].Value).Should().Equal([2, 3, 4], "the other chunks of the pipeline go on");
        (await Sql.ScalarAsync<string>(cs, "SELECT status FROM migration_status.migration_chunk_status WHERE chunk_id = 1")).Should().Be("completed");

        var forced = _session.Run("Reset-SfPgChunk -ConnectionString $cs -RunId $id -Table orders -ChunkId 1 -Force", Vars(cs, runId));

        forced.Errors.Should().BeEmpty();
        forced.Output.Single().Properties["Status"].Value.Should().Be("pending");
        (await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'pending'")).Should().Be(4);
    }

    [Fact]
    public async Task Stop_SfPgRun_refuses_to_force_complete_unfinished_chunks_and_records_the_reason_of_a_cancel()
    {
        var cs = await InstalledAsync();
        var runId = await StatusDatabase.ArrangeRunAsync(cs);

        var complete = _session.Run("Stop-SfPgRun -ConnectionString $cs -RunId $id -Complete -Force", Vars(cs, runId));

        complete.Output.Should().BeEmpty();
        var refusal = complete.Errors.Single();
        refusal.FullyQualifiedErrorId.Should().StartWith(ErrorCatalog.RunForceCompleteRefused.Code + ",");
        refusal.Exception.Message.Should().Contain("1 of 4 chunks");
        (await Sql.ScalarAsync<string>(cs, "SELECT status FROM migration_status.migration_runs")).Should().Be("running");

        var cancel = _session.Run("$id | Stop-SfPgRun -ConnectionString $cs -Reason 'host rebooted' -Force", Vars(cs, runId));

        cancel.Errors.Should().BeEmpty();
        var run = cancel.Output.Single();
        (run.Properties["Status"].Value, run.Properties["StopReason"].Value).Should().Be(("cancelled", "host rebooted"));
        (await Sql.ScalarAsync<string>(cs, "SELECT status || ':' || stop_reason FROM migration_status.migration_runs")).Should().Be("cancelled:host rebooted");
    }

    [Fact]
    public async Task Remove_SfPgRun_deletes_nothing_under_WhatIf_and_then_only_the_old_history_it_counted()
    {
        var cs = await InstalledAsync();
        var old = await StatusDatabase.ArrangeRunAsync(cs);
        await Sql.ExecuteAsync(cs, $"UPDATE migration_status.migration_runs SET status = 'completed', heartbeat_at = now() - interval '40 days' WHERE run_id = '{old}'");
        var recent = await InsertRunAsync(cs, "analytics", "completed", startedHoursAgo: 2, heartbeatHoursAgo: 1);

        var preview = _session.Run("Remove-SfPgRun -ConnectionString $cs -OlderThan 30.00:00:00 -WhatIf", Vars(cs));

        preview.Errors.Should().BeEmpty();
        preview.Output.Should().BeEmpty();
        (await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM migration_status.migration_chunk_status")).Should().Be(4, "-WhatIf deletes nothing");

        // ConfirmImpact High: -Confirm:$false lets it run, and -Verbose shows what ShouldProcess was told.
        var removed = _session.Run("Remove-SfPgRun -ConnectionString $cs -OlderThan 30.00:00:00 -Confirm:$false -Verbose", Vars(cs));

        removed.Errors.Should().BeEmpty();
        removed.Verbose.Select(v => v.Message).Should().Contain(m => m.Contains("Remove 1 run(s)") && m.Contains("1 table and 4 chunk status row(s)"));
        var removal = removed.Output.Single();
        ((IEnumerable<Guid>)removal.Properties["RemovedRunIds"].Value).Should().Equal(old);
        (Value<int>(removal, "RunsRemoved"), Value<int>(removal, "ChunksRemoved"), Value<bool>(removal, "WhatIf")).Should().Be((1, 4, false));
        (await Sql.ScalarAsync<Guid>(cs, "SELECT run_id FROM migration_status.migration_runs")).Should().Be(recent);
        (await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM migration_status.migration_chunk_status")).Should().Be(0);
    }

    [Fact]
    public async Task Install_SfPgStatusSchema_installs_once_and_then_reports_the_schema_was_there()
    {
        var cs = await StatusDatabase.CreateAsync();

        var first = _session.Run("Install-SfPgStatusSchema -ConnectionString $cs", Vars(cs));
        var second = _session.Run("Install-SfPgStatusSchema -ConnectionString $cs", Vars(cs));

        first.Errors.Should().BeEmpty();
        second.Errors.Should().BeEmpty();
        Value<bool>(first.Output.Single(), "WasInstalled").Should().BeFalse();
        Value<bool>(second.Output.Single(), "WasInstalled").Should().BeTrue();
        first.Output.Single().Properties["Database"].Value.Should().Be(new NpgsqlConnectionStringBuilder(cs).Database);
        (await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM pg_tables WHERE schemaname = 'migration_status'")).Should().BeGreaterThan(3);
    }

    [Fact]
    public void An_unreachable_database_stops_the_pipeline_with_SFPG4304_naming_it_without_the_password()
    {
        var result = _session.Run(
            "[guid]::NewGuid(), [guid]::NewGuid() | Get-SfPgRunStatus -ConnectionString 'Host=127.0.0.1;Port=1;Database=cm;Username=u;Password=pw-Secret;Timeout=3'");

        var error = result.Errors.Single();
        error.FullyQualifiedErrorId.Should().StartWith(ErrorCatalog.StatusDatabaseUnreachable.Code + ",");
        error.CategoryInfo.Category.Should().Be(ErrorCategory.ConnectionError);
        error.Exception.Message.Should().Contain("u@127.0.0.1:1/cm");
        error.ToString().Should().NotContain("pw-Secret");
        error.ErrorDetails?.RecommendedAction.Should().NotContain("pw-Secret");
    }

    [Fact]
    public async Task A_config_file_relative_to_the_current_location_and_a_source_name_the_status_database_read_once()
    {
        var cs = await InstalledAsync();
        var runId = await StatusDatabase.ArrangeRunAsync(cs);
        var server = new NpgsqlConnectionStringBuilder(cs);
        var folder = Directory.CreateTempSubdirectory("sfpg-hosted-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "config.json"), $$"""
                {
                  "snowflake": { "account": "myorg-acct", "user": "SVC", "rsa_key": "/keys/k.p8" },
                  "postgres": { "host": "{{server.Host}}", "port": {{server.Port}}, "user": "{{server.Username}}", "password": "${PG_PASSWORD_FOR_TEST:-}" },
                  "sources": [
                    { "source_name": "analytics", "source_sf_database": "A", "source_sf_schema": "B",
                      "target_pg_database": "{{server.Database}}", "target_pg_schema": "public", "tables": [ { "source": "ORDERS", "target": "orders" } ] },
                    { "source_name": "finance", "source_sf_database": "F", "source_sf_schema": "B",
                      "target_pg_database": "finance_db", "target_pg_schema": "public", "tables": [ { "source": "LEDGER", "target": "ledger" } ] }
                  ]
                }
                """);
            var vars = new Dictionary<string, object?> { ["folder"] = folder.FullName, ["id"] = runId };

            // The second item finds the config gone: it is read for the first item only.
            var runs = _session.Run("""
                Set-Location $folder
                $id, $id | ForEach-Object -Begin { $n = 0 } -Process { if ($n++) { Remove-Item ./config.json }; $_ } |
                    Get-SfPgRunStatus -ConfigPath ./config.json -Source analytics
                """, vars);

            runs.Errors.Should().BeEmpty();
            runs.Output.Select(r => (Guid)r.Properties["RunId"].Value).Should().Equal(runId, runId);
            runs.Output[0].Properties["Connection"].Value.ToString().Should().Contain(server.Database!);
            File.Exists(Path.Combine(folder.FullName, "config.json")).Should().BeFalse();
        }
        finally
        {
            _session.Run("Set-Location /");
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_config_of_several_sources_without_Source_is_SFPG_ambiguous_and_no_database_at_all_is_refused_by_the_binder()
    {
        var folder = Directory.CreateTempSubdirectory("sfpg-hosted-");
        try
        {
            var config = Path.Combine(folder.FullName, "config.json");
            await File.WriteAllTextAsync(config, """
                {
                  "snowflake": { "account": "myorg-acct", "user": "SVC", "rsa_key": "/keys/k.p8" },
                  "postgres": { "host": "127.0.0.1", "port": 1, "user": "u" },
                  "sources": [
                    { "source_name": "analytics", "source_sf_database": "A", "source_sf_schema": "B", "target_pg_database": "a", "target_pg_schema": "public", "tables": [ { "source": "ORDERS", "target": "orders" } ] },
                    { "source_name": "finance", "source_sf_database": "F", "source_sf_schema": "B", "target_pg_database": "f", "target_pg_schema": "public", "tables": [ { "source": "LEDGER", "target": "ledger" } ] }
                  ]
                }
                """);

            var ambiguous = _session.Run("Get-SfPgRun -ConfigPath $config", new Dictionary<string, object?> { ["config"] = config });
            ambiguous.Errors.Single().FullyQualifiedErrorId.Should().StartWith(ErrorCatalog.StatusSourceAmbiguous.Code + ",");
            ambiguous.Errors.Single().Exception.Message.Should().Contain("analytics").And.Contain("finance");

            // With no -ConfigPath, -ConnectionString or piped Connection, the binder asks for one; nothing can answer here.
            var none = _session.Run("Get-SfPgRun");
            none.HadErrors.Should().BeTrue();
            none.Output.Should().BeEmpty();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task<string> InstalledAsync()
    {
        var cs = await StatusDatabase.CreateAsync();
        _session.Run("Install-SfPgStatusSchema -ConnectionString $cs", Vars(cs)).Errors.Should().BeEmpty();
        return cs;
    }

    private static async Task<Guid> InsertRunAsync(string cs, string source, string status, int startedHoursAgo, int heartbeatHoursAgo)
    {
        var runId = Guid.NewGuid();
        await Sql.ExecuteAsync(cs, $"""
            INSERT INTO migration_status.migration_runs (run_id, source_name, config_hash, status, started_at, heartbeat_at, completed_at)
            VALUES ('{runId}', '{source}', 'h', '{status}', now() - interval '{startedHoursAgo} hours', now() - interval '{heartbeatHoursAgo} hours',
                    CASE WHEN '{status}' = 'running' THEN NULL ELSE now() - interval '{heartbeatHoursAgo} hours' END);
            """);
        return runId;
    }

    private static T Value<T>(PSObject item, string property) => (T)item.Properties[property].Value;

    private static string? LastHistoryError(string history)
    {
        using var json = JsonDocument.Parse(history);
        return json.RootElement.EnumerateArray().Last().GetProperty("error").GetString();
    }

    private static Dictionary<string, object?> Vars(string cs, Guid? runId = null) => new() { ["cs"] = cs, ["id"] = runId };
}
