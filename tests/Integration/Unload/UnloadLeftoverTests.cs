using Npgsql;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// Files a stopped run leaves in the stage, with real process signals: stopped between the table's verdict and the
/// deletion of its files (SIGTERM), the next <c>sfpg migrate</c> resumes the run and deletes them; killed after a
/// chunk was unloaded but before its files were loaded (SIGKILL), <c>sfpg migrate --no-resume</c> loads the table in a
/// new run and deletes the dead run's folder. Every row arrives once and no file is loaded twice.
/// </summary>
[Trait("Category", "Fault")]
public sealed class UnloadLeftoverTests
{
    private const int Rows = UnloadMigrateTests.Rows;
    private const string Tables = UnloadMigrateTests.Tables;
    private static readonly TimeSpan Wait = UnloadMigrateTests.Wait;

    [Fact]
    public async Task A_run_stopped_between_the_verdict_and_the_deletion_names_the_folder_and_the_next_migrate_deletes_it()
    {
        await using var unload = await UnloadMigrateTests.WithLedgerAsync();
        var env = unload.Environment;
        var config = unload.ConfigFile(Tables);

        // The folder's record is read right after the verdict, before any blob is deleted: locked, it holds the
        // process exactly between the two, whatever the timing.
        await using var hold = new NpgsqlConnection(env.TargetConnection);
        await hold.OpenAsync();
        using var sfpg = SfpgProcess.Start("migrate", "--config", config, "--env-file", unload.EnvFile);
        await Eventually.True(async () => sfpg.Process.HasExited || await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files") > 0,
            Wait, "the first chunk is unloaded");
        await using (var transaction = await hold.BeginTransactionAsync())
        {
            await using (var lockFolders = new NpgsqlCommand("LOCK TABLE migration_status.migration_unload_folders IN ACCESS EXCLUSIVE MODE", hold, transaction))
            {
                await lockFolders.ExecuteNonQueryAsync();
            }

            await Eventually.True(async () => sfpg.Process.HasExited || await env.TargetScalar<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%migration_unload_folders%'") > 0,
                Wait, "the process waits to delete the files");
            sfpg.Process.HasExited.Should().BeFalse(sfpg.Output + sfpg.Error);
            (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_table_status WHERE table_name = 'ledger'")).Should().Be("completed");
            var files = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files");
            (await unload.BlobsAsync()).Should().HaveCount((int)files, "the verdict is in, no file is deleted yet");

            await sfpg.SignalAsync("TERM");
            (await sfpg.WaitAsync(Wait)).Should().Be(143, sfpg.Output + sfpg.Error);
            await transaction.RollbackAsync();
        }

        var runId = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
        var folder = $"azure://devstoreaccount1.blob.core.windows.net/{UnloadMigration.Container}/{UnloadMigration.Prefix}/{runId:N}/ledger";
        (sfpg.Output + sfpg.Error).Should().Contain($"the files run {runId} unloaded are left in the stage under '{folder}'")
            .And.Contain("The next sfpg migrate that loads the table deletes them");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("cancelled");
        (await unload.BlobsAsync()).Should().NotBeEmpty();

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile);

        exitCode.Should().Be(0, output + error);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(1, "the stopped run was resumed");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await unload.BlobsAsync()).Should().BeEmpty("the resumed run deleted the files of the table it had completed");
        (await env.TargetScalar<string>("SELECT string_agg(state, ',') FROM migration_status.migration_unload_folders")).Should().Be("deleted");
        await ShouldHoldLedgerOnceAsync(env, "deleted_at IS NOT NULL");
    }

    [Fact]
    public async Task A_run_killed_before_its_files_were_loaded_is_replaced_by_no_resume_and_its_folder_is_deleted()
    {
        await using var unload = await UnloadMigrateTests.WithLedgerAsync();
        var env = unload.Environment;
        var config = unload.ConfigFile(Tables);

        await UnloadMigrateTests.KillInsideTheFirstFileAsync(unload, config);

        var dead = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
        var unloaded = await unload.BlobsAsync();
        unloaded.Should().NotBeEmpty("the killed run's first chunk was unloaded");
        // Snowflake finishes a COPY INTO whose caller died and writes files nobody recorded: one stands in for them.
        var unrecorded = $"{UnloadMigration.Prefix}/{dead:N}/ledger/5/data_0_0_0.csv.gz";
        await unload.Blobs.PutBlockBlobAsync(unrecorded, new MemoryStream([0x1f, 0x8b]), CancellationToken.None);

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile, "--no-resume", "--verbose");

        exitCode.Should().Be(0, output + error);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(2);
        (output + error).Should().Contain($"deleted the files run {dead} left in the stage under")
            .And.Contain("its run stopped without ending (its process is gone)");
        (await unload.BlobsAsync()).Should().BeEmpty("the new run deleted its own files and the dead run's folder, recorded or not");
        (await env.TargetScalar<string>("SELECT string_agg(state, ',') FROM migration_status.migration_unload_folders")).Should().Be("deleted,deleted");
        (await env.TargetScalar<long>($"SELECT count(*) FROM migration_status.migration_unload_files WHERE run_id = '{dead}' AND deleted_at IS NULL"))
            .Should().Be(0, "the dead run's files are recorded as deleted");
        await ShouldHoldLedgerOnceAsync(env, $"run_id <> '{dead}'");
    }

    [Fact]
    public async Task Files_kept_for_audit_stay_when_a_later_run_loads_the_table_again()
    {
        await using var unload = await UnloadMigrateTests.WithLedgerAsync();
        var env = unload.Environment;
        var config = unload.ConfigFile("""
            [ { "source": "LEDGER", "target": "ledger", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true } ]
            """);
        var first = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile, "--keep-files");
        first.ExitCode.Should().Be(0, first.Output + first.Error);
        var kept = (await unload.BlobsAsync()).Select(b => b.Name).ToList();
        kept.Should().NotBeEmpty();

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile, "--no-resume");

        exitCode.Should().Be(0, output + error);
        (await env.TargetScalar<string>("SELECT string_agg(state, ',' ORDER BY recorded_at) FROM migration_status.migration_unload_folders")).Should().Be("kept,deleted");
        (await unload.BlobsAsync()).Select(b => b.Name).Should().Equal(kept, "the first run's files were kept for audit; the second run's are deleted");
        (await env.TargetFingerprint("ledger")).Should().Be(await env.SourceFingerprint("LEDGER"));
    }

    [Fact]
    public async Task A_run_resumed_with_force_after_a_newer_run_deleted_its_folder_unloads_again_and_deletes_its_new_files()
    {
        await using var unload = await UnloadMigrateTests.WithLedgerAsync();
        var env = unload.Environment;
        var config = unload.ConfigFile("""
            [ { "source": "LEDGER", "target": "ledger", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true } ]
            """);
        using (var doomed = SfpgProcess.Start("migrate", "--config", config, "--env-file", unload.EnvFile))
        {
            await Eventually.True(async () => doomed.Process.HasExited || await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files") > 0,
                Wait, "the first chunk is unloaded");
            doomed.KillNow();
        }

        var first = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_table_status WHERE table_name = 'ledger'"))
            .Should().NotBe("completed", "the run was killed while it loaded the table");
        var newer = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile, "--no-resume");
        newer.ExitCode.Should().Be(0, newer.Output + newer.Error);
        (await env.TargetScalar<string>($"SELECT state FROM migration_status.migration_unload_folders WHERE run_id = '{first}'")).Should().Be("deleted");

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "resume", "--run-id", first.ToString(), "--config", config, "--env-file", unload.EnvFile, "--force");

        exitCode.Should().Be(0, output + error);
        (await env.TargetScalar<string>($"SELECT status FROM migration_status.migration_runs WHERE run_id = '{first}'")).Should().Be("completed");
        (await unload.BlobsAsync()).Should().BeEmpty("the files the resumed run unloaded anew into its folder were deleted after its verdict");
        (await env.TargetScalar<string>("SELECT string_agg(state, ',') FROM migration_status.migration_unload_folders")).Should().Be("deleted,deleted");
        await ShouldHoldLedgerOnceAsync(env, $"run_id = '{first}'");
    }

    /// <summary>The target equals the source, every row once, and each file of the run that loaded it was applied exactly once.</summary>
    private static async Task ShouldHoldLedgerOnceAsync(MigrationEnvironment env, string filesOfLoadingRun)
    {
        (await env.TargetFingerprint("ledger")).Should().Be(await env.SourceFingerprint("LEDGER"));
        (await env.TargetScalar<long>("SELECT count(DISTINCT id) FROM public.ledger")).Should().Be(Rows);
        (await env.TargetScalar<long>(
            $"SELECT count(*) FROM migration_status.migration_unload_files WHERE {filesOfLoadingRun} AND (attempts <> 1 OR status <> 'completed' OR rows_loaded <> row_count)"))
            .Should().Be(0, "each file was loaded once");
        (await env.TargetScalar<long>($"SELECT sum(rows_loaded)::bigint FROM migration_status.migration_unload_files WHERE {filesOfLoadingRun}")).Should().Be(Rows);
    }
}
