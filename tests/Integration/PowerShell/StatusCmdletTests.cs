using System.Text.Json;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Commands;
using SnowPgMigration.PowerShell.Models;
using SnowPgMigration.Tests.Integration.Status;

namespace SnowPgMigration.Tests.Integration.PowerShell;

/// <summary>
/// The status cmdlets' engine calls against real PostgreSQL: connection resolution as the cmdlet does
/// it, the call through the cmdlet's own runner, and the objects it would write - passed from one
/// cmdlet to the next by property name, as the pipeline does.
/// </summary>
public sealed class StatusCmdletTests
{
    [Fact]
    public async Task Get_SfPgRun_lists_and_filters_runs_of_the_database_a_connection_string_names()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var failed = await RunStoreTests.NewRunAsync(db, "analytics", "h", startedHoursAgo: 5, RunStatus.Failed);
        var stuck = await RunStoreTests.NewRunAsync(db, "analytics", "h", startedHoursAgo: 3, RunStatus.Running);
        var billing = await RunStoreTests.NewRunAsync(db, "billing", "h", startedHoursAgo: 1, RunStatus.Completed);
        var cmdlet = new GetSfPgRunCommand { ConnectionString = db.ConnectionString };
        var connection = cmdlet.ResolveConnection();

        var all = cmdlet.CallStatus(connection, (s, ct) => GetSfPgRunCommand.GetRunsAsync(s, new RunQuery(), connection, ct));
        all.Select(r => r.RunId).Should().Equal(billing, stuck, failed);
        all.Should().OnlyContain(r => r.Connection == connection);
        all[0].Status.Should().Be("completed");
        all[0].Source.Should().Be("billing");

        var query = GetSfPgRunCommand.BuildQuery(null, "analytics", "running", null, stale: true, TimeSpan.FromMinutes(10));
        cmdlet.CallStatus(connection, (s, ct) => GetSfPgRunCommand.GetRunsAsync(s, query, connection, ct))
            .Select(r => r.RunId).Should().Equal([stuck], "only the running run whose heartbeat is hours old is stale");
    }

    [Fact]
    public async Task Get_SfPgRun_status_running_piped_to_Get_SfPgRunStatus_summarises_each_run()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 4);
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        var other = await db.CreateRunWithChunksAsync("customers", chunkCount: 2);
        var lister = new GetSfPgRunCommand { ConnectionString = db.ConnectionString };
        var connection = lister.ResolveConnection();
        var running = lister.CallStatus(connection, (s, ct) => GetSfPgRunCommand.GetRunsAsync(s, GetSfPgRunCommand.BuildQuery(null, null, "running", null, false, default), connection, ct));
        running.Should().HaveCount(2);

        var summaries = running.Select(piped =>
        {
            var status = PipelineBinder.Bind<GetSfPgRunStatusCommand>(piped);
            status.RunId.Should().Be(piped.RunId);
            var resolved = status.ResolveConnection();
            resolved.Should().BeSameAs(piped.Connection, "the piped object's database is used when none is given");
            return status.CallStatus(resolved, (s, ct) => GetSfPgRunStatusCommand.GetStatusAsync(s, status.RunId, resolved, ct));
        }).ToDictionary(s => s.RunId);

        summaries[run.RunId].ChunksTotal.Should().Be(4);
        summaries[run.RunId].ChunksCompleted.Should().Be(4);
        summaries[run.RunId].PercentComplete.Should().Be(100);
        summaries[run.RunId].RowsCopied.Should().Be(400);
        summaries[other.RunId].ChunksPending.Should().Be(2);
        summaries[other.RunId].PercentComplete.Should().Be(0);
    }

    [Fact]
    public async Task Get_SfPgChunk_status_failed_piped_to_Reset_SfPgChunk_puts_each_chunk_back_to_pending()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 4);
        await db.ExecuteAsync(
            "UPDATE migration_status.migration_chunk_status SET status = 'failed', attempts = 3, error = 'connection reset' WHERE run_id = @id AND chunk_id IN (2, 4)",
            ("id", run.RunId));
        var lister = new GetSfPgChunkCommand { ConnectionString = db.ConnectionString };
        var connection = lister.ResolveConnection();

        var failed = lister.CallStatus(connection, (s, ct) => GetSfPgChunkCommand.GetChunksAsync(s, GetSfPgChunkCommand.BuildQuery(null, null, "failed", false, default, null), connection, ct));
        failed.Select(c => (c.Table, c.ChunkId, c.Status, c.Attempts)).Should().Equal(("orders", 2, "failed", 3), ("orders", 4, "failed", 3));

        foreach (var chunk in failed)
        {
            var reset = PipelineBinder.Bind<ResetSfPgChunkCommand>(chunk);
            (reset.RunId, reset.Table, reset.ChunkId).Should().Be((chunk.RunId, chunk.Table, chunk.ChunkId));
            var resolved = reset.ResolveConnection();
            var result = reset.CallStatus(resolved, (s, ct) => ResetSfPgChunkCommand.ResetAsync(s, reset.RunId, reset.Table, reset.ChunkId, force: false, resolved, ct));
            result.Changed.Should().BeTrue();
            result.Chunk.Status.Should().Be("pending");
            result.Chunk.Attempts.Should().Be(0);
            result.Chunk.Error.Should().BeNull();
            using var history = JsonDocument.Parse(result.Chunk.ErrorHistory);
            history.RootElement.EnumerateArray().Last().GetProperty("error").GetString().Should().Be("connection reset", "the error is kept in the history");
        }

        (await db.ScalarAsync<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE status = 'pending'")).Should().Be(4);
    }

    [Fact]
    public async Task Reset_SfPgChunk_refuses_a_completed_chunk_without_force_as_an_item_error()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        await db.CompleteAllChunksAsync(run.RunId, "orders");
        var cmdlet = new ResetSfPgChunkCommand { ConnectionString = db.ConnectionString };
        var connection = cmdlet.ResolveConnection();

        var refused = () => cmdlet.CallStatus(connection, (s, ct) => ResetSfPgChunkCommand.ResetAsync(s, run.RunId, "orders", 1, force: false, connection, ct));
        var error = refused.Should().Throw<SfPgException>().Which;
        error.Error.Should().Be(ErrorCatalog.ChunkResetRefused);
        SnowPgMigration.PowerShell.Infrastructure.SfPgStatusCmdlet.IsItemError(error).Should().BeTrue("the other chunks of the pipeline go on");

        var forced = cmdlet.CallStatus(connection, (s, ct) => ResetSfPgChunkCommand.ResetAsync(s, run.RunId, "orders", 1, force: true, connection, ct));
        forced.Chunk.Status.Should().Be("pending");
    }

    [Fact]
    public async Task Get_SfPgTableStatus_piped_to_Get_SfPgChunk_lists_that_tables_chunks()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        await db.AddTableAsync(run.RunId, "customers", chunkCount: 2, sourceRowCount: 200);
        var lister = new GetSfPgTableStatusCommand { ConnectionString = db.ConnectionString };
        var connection = lister.ResolveConnection();

        var tables = lister.CallStatus(connection, (s, ct) => GetSfPgTableStatusCommand.GetTablesAsync(s, GetSfPgTableStatusCommand.BuildQuery(run.RunId, null, null, null), connection, ct));
        tables.Select(t => (t.Table, t.ChunksTotal, t.Status)).Should().BeEquivalentTo([("customers", 2, "pending"), ("orders", 3, "pending")]);

        var customers = tables.Single(t => t.Table == "customers");
        var chunks = PipelineBinder.Bind<GetSfPgChunkCommand>(customers);
        (chunks.RunId, chunks.Table).Should().Be((run.RunId, "customers"));
        var resolved = chunks.ResolveConnection();
        var listed = chunks.CallStatus(resolved, (s, ct) => GetSfPgChunkCommand.GetChunksAsync(s, GetSfPgChunkCommand.BuildQuery(chunks.RunId, chunks.Table, null, false, default, null), resolved, ct));
        listed.Select(c => (c.Table, c.ChunkId)).Should().Equal(("customers", 1), ("customers", 2));
    }

    [Fact]
    public async Task Stop_SfPgRun_cancels_a_run_and_refuses_to_force_complete_unfinished_chunks()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        var cmdlet = new StopSfPgRunCommand { ConnectionString = db.ConnectionString };
        var connection = cmdlet.ResolveConnection();

        var complete = () => cmdlet.CallStatus(connection, (s, ct) => StopSfPgRunCommand.StopAsync(s, run.RunId, "done", StopSfPgRunCommand.Mode(complete: true), connection, ct));
        complete.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.RunForceCompleteRefused && e.Message.Contains("0 of 2 chunks"));

        var stopped = cmdlet.CallStatus(connection, (s, ct) => StopSfPgRunCommand.StopAsync(s, run.RunId, "host rebooted", StopSfPgRunCommand.Mode(complete: false), connection, ct));
        stopped.Changed.Should().BeTrue();
        stopped.Run.Status.Should().Be("cancelled");
        stopped.Run.StopReason.Should().Be("host rebooted");
        stopped.Run.Connection.Should().BeSameAs(connection);
    }

    [Fact]
    public async Task Remove_SfPgRun_counts_first_then_deletes_only_old_history()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var old = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);
        await db.Store.Runs.FinishRunAsync(old.RunId, RunStatus.Completed, null, CancellationToken.None);
        await db.ExecuteAsync("UPDATE migration_status.migration_runs SET heartbeat_at = now() - interval '40 days' WHERE run_id = @id", ("id", old.RunId));
        var recent = await db.CreateRunWithChunksAsync("orders", chunkCount: 1);
        var cmdlet = new RemoveSfPgRunCommand { ConnectionString = db.ConnectionString };
        var connection = cmdlet.ResolveConnection();

        var preview = cmdlet.CallStatus(connection, (s, ct) => RemoveSfPgRunCommand.RemoveAsync(s, RemoveSfPgRunCommand.BuildRequest(TimeSpan.FromDays(30), null, null, false, dryRun: true), connection, ct));
        (preview.RunsRemoved, preview.TablesRemoved, preview.ChunksRemoved, preview.WhatIf).Should().Be((1, 1, 3, true));
        RemoveSfPgRunCommand.Describe(preview, TimeSpan.FromDays(30)).Should().Contain("Remove 1 run(s)").And.Contain("3 chunk");
        (await db.ScalarAsync<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(2, "a preview deletes nothing");

        var removed = cmdlet.CallStatus(connection, (s, ct) => RemoveSfPgRunCommand.RemoveAsync(s, RemoveSfPgRunCommand.BuildRequest(TimeSpan.FromDays(30), null, null, false, dryRun: false), connection, ct));
        removed.RemovedRunIds.Should().Equal(old.RunId);
        (await db.ScalarAsync<Guid>("SELECT run_id FROM migration_status.migration_runs")).Should().Be(recent.RunId);
    }

    [Fact]
    public async Task Install_SfPgStatusSchema_installs_once_and_reports_an_existing_schema()
    {
        await using var db = await StatusTestDatabase.CreateAsync(installSchema: false);
        var cmdlet = new InstallSfPgStatusSchemaCommand { ConnectionString = db.ConnectionString };
        var connection = cmdlet.ResolveConnection();

        var first = cmdlet.CallStatus(connection, (s, ct) => InstallSfPgStatusSchemaCommand.InstallAsync(s, connection, ct));
        var second = cmdlet.CallStatus(connection, (s, ct) => InstallSfPgStatusSchemaCommand.InstallAsync(s, connection, ct));

        first.WasInstalled.Should().BeFalse();
        second.WasInstalled.Should().BeTrue();
        first.Database.Should().Be(new NpgsqlConnectionStringBuilder(db.ConnectionString).Database);
        (await StatusSchema.IsInstalledAsync(db.Store.DataSource, CancellationToken.None)).Should().BeTrue();
    }

    [Fact]
    public async Task A_database_without_the_schema_stops_the_pipeline_with_SFPG4002()
    {
        await using var db = await StatusTestDatabase.CreateAsync(installSchema: false);
        var cmdlet = new GetSfPgRunCommand { ConnectionString = db.ConnectionString };
        var connection = cmdlet.ResolveConnection();

        var list = () => cmdlet.CallStatus(connection, (s, ct) => GetSfPgRunCommand.GetRunsAsync(s, new RunQuery(), connection, ct));

        var error = list.Should().Throw<SfPgException>().Which;
        error.Error.Should().Be(ErrorCatalog.StatusSchemaMissing);
        SnowPgMigration.PowerShell.Infrastructure.SfPgStatusCmdlet.IsItemError(error).Should().BeFalse();
    }

    [Fact]
    public void An_unreachable_database_is_SFPG4304_naming_it_without_the_password()
    {
        var cmdlet = new GetSfPgRunCommand { ConnectionString = "Host=127.0.0.1;Port=1;Database=cm;Username=u;Password=pw-Secret;Timeout=3" };
        var connection = cmdlet.ResolveConnection();

        var list = () => cmdlet.CallStatus(connection, (s, ct) => GetSfPgRunCommand.GetRunsAsync(s, new RunQuery(), connection, ct));

        var error = list.Should().Throw<SfPgException>().Which;
        error.Error.Should().Be(ErrorCatalog.StatusDatabaseUnreachable);
        error.Error.Kind.Should().Be(ErrorKind.Connection);
        error.Message.Should().Contain("u@127.0.0.1:1/cm").And.NotContain("pw-Secret");
    }

    [Fact]
    public async Task A_config_file_and_source_name_the_sources_target_database()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 1, source: "analytics");
        var server = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var folder = Directory.CreateTempSubdirectory("sfpg-ps-");
        try
        {
            var config = Path.Combine(folder.FullName, "config.json");
            await File.WriteAllTextAsync(config, $$"""
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
            var cmdlet = new GetSfPgRunCommand { ConfigPath = config, Source = "analytics" };

            var connection = cmdlet.ResolveConnection();
            cmdlet.ResolveConnection().Should().BeSameAs(connection, "the config is read once per source");
            connection.Database.Should().Be(server.Database);
            connection.Source.Should().Be("analytics");
            var runs = cmdlet.CallStatus(connection, (s, ct) => GetSfPgRunCommand.GetRunsAsync(s, GetSfPgRunCommand.BuildQuery(null, "analytics", null, null, false, default), connection, ct));
            runs.Select(r => r.RunId).Should().Equal(run.RunId);

            var ambiguous = () => new GetSfPgRunCommand { ConfigPath = config }.ResolveConnection();
            ambiguous.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.StatusSourceAmbiguous);
            var none = () => new GetSfPgRunCommand().ResolveConnection();
            none.Should().Throw<SfPgException>().Where(e => e.Error == ErrorCatalog.StatusConnectionMissing);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
