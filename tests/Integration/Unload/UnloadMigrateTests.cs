using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// <c>sfpg migrate</c> as a real process on an <c>"extract": "unload"</c> table: Snowflake's COPY INTO writes the
/// chunks into Azure Blob Storage (Azurite), the files are loaded and verified like any table, and then deleted
/// unless kept; a process killed inside a file and the next run leave every row exactly once.
/// </summary>
[Trait("Category", "Fault")]
public sealed class UnloadMigrateTests
{
    internal const int Rows = 6000;
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);

    /// <summary>The ledger in six chunks of 1,000 ids.</summary>
    internal const string Tables = """[ { "source": "LEDGER", "target": "ledger", "chunking_columns": ["ID"], "chunking_column_types": ["int"] } ]""";

    private const string FileTotals = """
        SELECT count(*)::text || ' files, ' || sum(row_count)::text || ' rows, ' || count(*) FILTER (WHERE status = 'completed' AND rows_loaded = row_count)::text
               || ' loaded, ' || count(*) FILTER (WHERE deleted_at IS NOT NULL)::text || ' deleted'
        FROM migration_status.migration_unload_files WHERE table_name = 'ledger'
        """;

    [Fact]
    public async Task Migrate_loads_an_unload_table_through_the_stage_verifies_it_and_deletes_its_files()
    {
        await using var unload = await WithLedgerAsync();
        var env = unload.Environment;

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", unload.ConfigFile(Tables), "--env-file", unload.EnvFile, "--verbose");

        exitCode.Should().Be(0, output + error);
        (output + error).Should().NotContain(SasSignature(unload), "the SAS travels in the COPY INTO statement and request URLs only");
        (await env.TargetScalar<long>($"SELECT count(*) FROM migration_status.migration_unload_files f WHERE f::text LIKE '%{SasSignature(unload)}%'")).Should().Be(0);
        (await env.TargetFingerprint("ledger")).Should().Be(await env.SourceFingerprint("LEDGER"));
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_table_status WHERE table_name = 'ledger'")).Should().Be("completed");
        var chunks = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE table_name = 'ledger' AND status = 'completed'");
        chunks.Should().BeGreaterThan(1, "the table was planned in several chunks, each unloaded into its own folder");
        (await env.TargetScalar<long>("SELECT sum(rows_copied)::bigint FROM migration_status.migration_chunk_status WHERE table_name = 'ledger'")).Should().Be(Rows);
        var files = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files WHERE table_name = 'ledger'");
        (await env.TargetScalar<string>(FileTotals)).Should().Be($"{files} files, {Rows} rows, {files} loaded, {files} deleted");
        (await unload.BlobsAsync()).Should().BeEmpty("a verified table's files are deleted");
    }

    [Fact]
    public async Task Keep_files_leaves_every_unloaded_file_in_the_stage_for_audit()
    {
        await using var unload = await WithLedgerAsync();
        var env = unload.Environment;

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", unload.ConfigFile(Tables), "--env-file", unload.EnvFile, "--keep-files");

        exitCode.Should().Be(0, output + error);
        (await env.TargetFingerprint("ledger")).Should().Be(await env.SourceFingerprint("LEDGER"));
        var files = await env.TargetColumn<string>("SELECT file_name FROM migration_status.migration_unload_files WHERE table_name = 'ledger' ORDER BY file_name");
        files.Should().NotBeEmpty();
        (await env.TargetScalar<string>(FileTotals)).Should().Be($"{files.Count} files, {Rows} rows, {files.Count} loaded, 0 deleted");
        (await unload.BlobsAsync()).Select(b => b.Name).Should().Equal(files);
    }

    [Fact]
    public async Task A_process_killed_inside_a_file_is_resumed_by_the_next_migrate_with_every_row_once()
    {
        await using var unload = await WithLedgerAsync();
        var env = unload.Environment;
        var config = unload.ConfigFile(Tables);

        await KillInsideTheFirstFileAsync(unload, config);

        (await env.TargetScalar<long>("SELECT count(*) FROM public.ledger")).Should().Be(0, "the killed file's rows were never committed");

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile);

        exitCode.Should().Be(0, output + error);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(1, "the second process resumed the killed run");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetFingerprint("ledger")).Should().Be(await env.SourceFingerprint("LEDGER"));
        (await env.TargetScalar<long>("SELECT count(DISTINCT id) FROM public.ledger")).Should().Be(Rows);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files WHERE attempts = 2")).Should().Be(1, "only the killed file was loaded again");
        var files = await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files WHERE table_name = 'ledger'");
        (await env.TargetScalar<string>(FileTotals)).Should().Be($"{files} files, {Rows} rows, {files} loaded, {files} deleted");
        (await unload.BlobsAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Joining_processes_load_files_of_the_chunk_the_owner_unloaded_and_each_file_is_loaded_once(int joiners)
    {
        await using var unload = await WithLedgerAsync();
        var env = unload.Environment;
        await WithWideAsync(env);
        // No chunking column: one chunk, unloaded by the owner into several 1 MB files.
        var config = unload.ConfigFile("""[ { "source": "WIDE", "target": "wide" } ]""");

        using (var hold = await TargetLock.TakeAsync(env.TargetConnection, "wide"))
        {
            // Every process stops inside a file until the lock goes: proof that each holds one of the same chunk's files.
            var processes = new List<SfpgProcess>();
            try
            {
                var owner = SfpgProcess.Start("migrate", "--config", config, "--env-file", unload.EnvFile);
                processes.Add(owner);
                await Eventually.True(async () => owner.Process.HasExited || await env.TargetScalar<long>(
                    "SELECT count(*) FROM migration_status.migration_unload_files WHERE status = 'in_progress'") > 0, Wait, "the owner holds a file");
                owner.Process.HasExited.Should().BeFalse(owner.Output + owner.Error);
                var runId = await env.TargetScalar<Guid>("SELECT run_id FROM migration_status.migration_runs");
                for (var i = 0; i < joiners; i++)
                {
                    var joiner = SfpgProcess.Start("migrate", "--config", config, "--env-file", unload.EnvFile, "--join", runId.ToString());
                    processes.Add(joiner);
                    await Eventually.True(async () => joiner.Process.HasExited || await env.TargetScalar<long>(
                        $"SELECT count(*) FROM migration_status.migration_unload_files WHERE status = 'in_progress' AND worker_id LIKE '%:{joiner.Id}:%'") > 0,
                        Wait, $"joiner {i + 1} holds a file of the owner's chunk");
                    joiner.Process.HasExited.Should().BeFalse(joiner.Output + joiner.Error);
                }

                await hold.ReleaseAsync();
                foreach (var process in processes)
                {
                    (await process.WaitAsync(Wait)).Should().Be(0, process.Output + process.Error);
                }

                var loaders = await env.TargetColumn<string>("SELECT DISTINCT split_part(worker_id, ':', 2) FROM migration_status.migration_unload_files WHERE table_name = 'wide'");
                loaders.Should().BeEquivalentTo(processes.Select(p => p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            finally
            {
                processes.ForEach(p => p.Dispose());
            }
        }

        await ShouldHoldWideOnceAsync(unload);
    }

    [Fact]
    public async Task An_unload_table_that_would_be_upserted_fails_naming_the_table_and_what_to_do_and_its_rows_stay()
    {
        await using var unload = await WithLedgerAsync();
        var env = unload.Environment;
        await env.TargetSql("ALTER TABLE ledger ADD PRIMARY KEY (id); INSERT INTO ledger VALUES (1, 0, 'kept', '2020-01-01');");
        var config = unload.ConfigFile("""
            [ { "source": "LEDGER", "target": "ledger", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "uniqueness_columns": ["id"], "source_watermark": "AT", "target_watermark": "at" } ]
            """);

        var (exitCode, output, error) = await SfpgProcess.RunAsync(Wait, "migrate", "--config", config, "--env-file", unload.EnvFile);

        exitCode.Should().NotBe(0);
        (output + error).Should().Contain("public.ledger uses \"extract\": \"unload\" but is loaded by Upsert");
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_table_status WHERE table_name = 'ledger'")).Should().Be("failed");
        (await env.TargetScalar<string>("SELECT error FROM migration_status.migration_table_status WHERE table_name = 'ledger'")).Should().Contain("only appended by COPY");
        (await env.TargetScalar<string>("SELECT string_agg(id || ':' || note, ',') FROM ledger")).Should().Be("1:kept");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files")).Should().Be(0, "nothing was unloaded");
    }

    [Fact]
    public async Task Idle_workers_of_one_process_load_files_of_the_chunk_another_worker_unloaded()
    {
        await using var unload = await WithLedgerAsync();
        var env = unload.Environment;
        await WithWideAsync(env);
        var config = unload.ConfigFile("""[ { "source": "WIDE", "target": "wide" } ]""", parallelThreads: 2);
        DateTime released;

        using (var hold = await TargetLock.TakeAsync(env.TargetConnection, "wide"))
        {
            using var sfpg = SfpgProcess.Start("migrate", "--config", config, "--env-file", unload.EnvFile);
            await Eventually.True(async () => sfpg.Process.HasExited || await env.TargetScalar<long>(
                "SELECT count(DISTINCT worker_id) FROM migration_status.migration_unload_files WHERE status = 'in_progress'") == 2,
                Wait, "both workers hold a file of the one chunk");
            sfpg.Process.HasExited.Should().BeFalse(sfpg.Output + sfpg.Error);
            released = await env.TargetScalar<DateTime>("SELECT clock_timestamp()");
            await hold.ReleaseAsync();
            (await sfpg.WaitAsync(Wait)).Should().Be(0, sfpg.Output + sfpg.Error);
        }

        (await env.TargetScalar<long>("SELECT count(DISTINCT worker_id) FROM migration_status.migration_unload_files WHERE table_name = 'wide'")).Should().Be(2);
        (await env.TargetScalar<DateTime>("SELECT min(completed_at) FROM migration_status.migration_unload_files WHERE table_name = 'wide'"))
            .Should().BeOnOrAfter(released, "no file's rows could commit while the target was locked, so none completed before");
        await ShouldHoldWideOnceAsync(unload);
    }

    /// <summary>
    /// Starts <c>sfpg migrate</c> on the ledger and SIGKILLs it inside its first file. The target is locked against
    /// inserts, so the process holds the file with its rows staged and waits to insert them: the kill lands inside the
    /// file every time.
    /// </summary>
    internal static async Task KillInsideTheFirstFileAsync(UnloadMigration unload, string config)
    {
        var env = unload.Environment;
        using var hold = await TargetLock.TakeAsync(env.TargetConnection, "ledger");
        using var doomed = SfpgProcess.Start("migrate", "--config", config, "--env-file", unload.EnvFile);
        await Eventually.True(async () => doomed.Process.HasExited || await env.TargetScalar<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO \"public\".\"ledger\"%'") > 0,
            Wait, "the process is inserting a file's rows");
        doomed.Process.HasExited.Should().BeFalse(doomed.Output + doomed.Error);
        (await env.TargetScalar<long>(
            $"SELECT count(*) FROM migration_status.migration_unload_files WHERE status = 'in_progress' AND worker_id LIKE '%:{doomed.Id}:%'"))
            .Should().Be(1);
        doomed.KillNow();
        await hold.ReleaseAsync();
    }

    private static string SasSignature(UnloadMigration unload) =>
        unload.Sas.Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal))["sig=".Length..];

    private const int WideRows = 40_000;

    /// <summary>A table of several 1 MB files with no chunking column: one chunk, unloaded into several files.</summary>
    private static async Task WithWideAsync(MigrationEnvironment env)
    {
        await env.Source($"""
            CREATE TABLE "PUBLIC"."WIDE" ("ID" bigint, "A" text, "B" text);
            INSERT INTO "PUBLIC"."WIDE" SELECT g, md5(g::text) || md5((g * 7)::text), md5((-g)::text) FROM generate_series(1, {WideRows}) g;
            """);
        await env.TargetSql("CREATE TABLE wide (id bigint, a text, b text)");
    }

    private static async Task ShouldHoldWideOnceAsync(UnloadMigration unload)
    {
        var env = unload.Environment;
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status WHERE table_name = 'wide'")).Should().Be(1);
        (await env.TargetScalar<string>("SELECT status FROM migration_status.migration_runs")).Should().Be("completed");
        (await env.TargetFingerprint("wide")).Should().Be(await env.SourceFingerprint("WIDE"));
        (await env.TargetScalar<long>("SELECT count(DISTINCT id) FROM public.wide")).Should().Be(WideRows);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_unload_files WHERE table_name = 'wide' AND (attempts <> 1 OR status <> 'completed' OR rows_loaded <> row_count)"))
            .Should().Be(0, "each file was loaded once");
        (await unload.BlobsAsync()).Should().BeEmpty();
    }

    /// <summary>A source table whose values exercise the file format (NULLs, empty strings, quotes, commas, line breaks, decimals, timestamps) and its empty target.</summary>
    internal static async Task<UnloadMigration> WithLedgerAsync()
    {
        var unload = await UnloadMigration.StartAsync();
        await unload.Environment.Source($"""
            CREATE TABLE "PUBLIC"."LEDGER" ("ID" bigint, "AMOUNT" numeric(38,3), "NOTE" text, "AT" timestamp);
            INSERT INTO "PUBLIC"."LEDGER"
            SELECT g, g * 1.125 - 2000,
                   CASE g % 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'say "hi", then' || E'\n' || 'go' ELSE md5(g::text) END,
                   timestamp '2024-01-01 00:00:00' + g * interval '1.000123 second'
            FROM generate_series(1, {Rows}) g;
            """);
        await unload.Environment.TargetSql("CREATE TABLE ledger (id bigint, amount numeric(38,3), note text, at timestamp)");
        return unload;
    }
}
