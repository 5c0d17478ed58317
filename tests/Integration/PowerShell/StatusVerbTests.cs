using System.Text.Json;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Tests.Integration.Migration;
using SnowPgMigration.Tests.Integration.Status;

namespace SnowPgMigration.Tests.Integration.PowerShell;

/// <summary>The sfpg verbs over the same engine calls as the cmdlets, run as a process against real PostgreSQL.</summary>
public sealed class StatusVerbTests
{
    [Fact]
    public async Task Runs_tables_and_chunks_print_tables_and_json()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 3);

        var runs = await SfpgAsync("runs", "--connection", db.ConnectionString, "--json");
        runs.ExitCode.Should().Be(0, runs.Error);
        using (var json = JsonDocument.Parse(runs.Output))
        {
            json.RootElement.GetArrayLength().Should().Be(1);
            json.RootElement[0].GetProperty("run_id").GetGuid().Should().Be(run.RunId);
            json.RootElement[0].GetProperty("status").GetString().Should().Be("running");
        }

        var table = await SfpgAsync("chunks", "--connection", db.ConnectionString, "--run-id", run.RunId.ToString(), "--table", "orders");
        table.ExitCode.Should().Be(0, table.Error);
        var lines = table.Output.TrimEnd().Split('\n');
        lines[0].Should().StartWith("run_id").And.Contain("chunk").And.Contain("status");
        lines.Skip(2).Should().HaveCount(3).And.OnlyContain(l => l.Contains("pending"));

        var tables = await SfpgAsync("tables", "--connection", db.ConnectionString, "--status", "pending", "--json");
        JsonDocument.Parse(tables.Output).RootElement[0].GetProperty("table").GetString().Should().Be("orders");

        var status = await SfpgAsync("status", "--connection", db.ConnectionString, "--run-id", run.RunId.ToString());
        status.ExitCode.Should().Be(0);
        status.Output.Should().Contain($"Run {run.RunId} (analytics): running").And.Contain("chunks     3 total: 0 completed");
    }

    [Fact]
    public async Task Reset_chunk_and_stop_run_change_the_status_and_refusals_exit_1()
    {
        await using var db = await StatusTestDatabase.CreateAsync();
        var run = await db.CreateRunWithChunksAsync("orders", chunkCount: 2);
        await db.CompleteAllChunksAsync(run.RunId, "orders");

        var refused = await SfpgAsync("reset-chunk", "--connection", db.ConnectionString, "--run-id", run.RunId.ToString(), "--table", "orders", "--chunk-id", "1");
        refused.ExitCode.Should().Be(1);
        refused.Error.Should().Contain(ErrorCatalog.ChunkResetRefused.Code).And.Contain("fix:");

        var forced = await SfpgAsync("reset-chunk", "--connection", db.ConnectionString, "--run-id", run.RunId.ToString(), "--table", "orders", "--chunk-id", "1", "--force");
        forced.ExitCode.Should().Be(0, forced.Error);
        forced.Output.Should().Contain("completed -> pending");
        (await db.ScalarAsync<string>("SELECT status FROM migration_status.migration_chunk_status WHERE chunk_id = 1")).Should().Be("pending");

        var stop = await SfpgAsync("stop-run", "--connection", db.ConnectionString, "--run-id", run.RunId.ToString(), "--reason", "maintenance");
        stop.ExitCode.Should().Be(0, stop.Error);
        (await db.Store.Runs.GetRunAsync(run.RunId, CancellationToken.None))!.Status.Should().Be(RunStatus.Cancelled);

        var missing = await SfpgAsync("status", "--connection", db.ConnectionString, "--run-id", Guid.NewGuid().ToString());
        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain(ErrorCatalog.RunNotFound.Code);
    }

    [Fact]
    public async Task Install_schema_and_cleanup_work_on_their_database()
    {
        await using var db = await StatusTestDatabase.CreateAsync(installSchema: false);
        var install = await SfpgAsync("install-schema", "--connection", db.ConnectionString);
        install.ExitCode.Should().Be(0, install.Error);
        install.Output.Should().Contain("installed");
        (await StatusSchema.IsInstalledAsync(db.Store.DataSource, CancellationToken.None)).Should().BeTrue();

        var old = await RunStoreTests.NewRunAsync(db, "analytics", "h", startedHoursAgo: 24 * 60, RunStatus.Completed);
        var dryRun = await SfpgAsync("cleanup", "--connection", db.ConnectionString, "--older-than", "30", "--dry-run");
        dryRun.Output.Should().StartWith("Would delete 1 run(s)");
        (await db.Store.Runs.GetRunAsync(old, CancellationToken.None)).Should().NotBeNull();
        var cleanup = await SfpgAsync("cleanup", "--connection", db.ConnectionString, "--older-than", "30");
        cleanup.Output.Should().StartWith("Deleted 1 run(s)");
        (await db.Store.Runs.GetRunAsync(old, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task Without_a_database_the_verbs_exit_2_with_the_code()
    {
        var none = await SfpgAsync("runs");
        none.ExitCode.Should().Be(2);
        none.Error.Should().Contain(ErrorCatalog.StatusConnectionMissing.Code);

        var unreachable = await SfpgAsync("runs", "--connection", "Host=127.0.0.1;Port=1;Username=u;Password=pw-Secret;Timeout=3");
        unreachable.ExitCode.Should().Be(2);
        unreachable.Error.Should().Contain(ErrorCatalog.StatusDatabaseUnreachable.Code).And.NotContain("pw-Secret");
    }

    private static Task<(int ExitCode, string Output, string Error)> SfpgAsync(params string[] args) =>
        SfpgProcess.RunAsync(TimeSpan.FromSeconds(60), args);
}
