using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// A target database holding the older Python tool's status tables: every verb stops with SFPG4012 and the
/// upgrade command, and the upgrade keeps the old rows under legacy names, after which a migration runs.
/// </summary>
public sealed class LegacyStatusTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The older tool's status tables and views, as it created them, with a finished run of history.</summary>
    private const string OlderToolStatus = """
        CREATE SCHEMA migration_status;
        CREATE TABLE migration_status.migration_runs (
            run_id uuid PRIMARY KEY, status varchar(20) NOT NULL, started_at timestamp DEFAULT now(), completed_at timestamp,
            total_tables integer, completed_tables integer, failed_tables integer, total_rows_copied bigint, error_message text);
        CREATE TABLE migration_status.migration_table_status (
            id serial PRIMARY KEY, run_id uuid REFERENCES migration_status.migration_runs (run_id), source_name text, table_name text,
            status varchar(20), total_chunks integer, completed_chunks integer, rows_copied bigint, error_message text);
        CREATE TABLE migration_status.migration_chunk_status (
            id serial PRIMARY KEY, run_id uuid, table_name text, chunk_id integer, chunk_range jsonb, status varchar(20),
            rows_copied bigint, retry_count integer, error_message text);
        CREATE INDEX idx_chunk_status_run ON migration_status.migration_chunk_status (run_id, table_name);
        CREATE VIEW migration_status.v_active_migrations AS
            SELECT run_id, status AS run_status, started_at FROM migration_status.migration_runs WHERE status = 'running';
        CREATE VIEW migration_status.v_table_progress AS
            SELECT run_id, table_name, status, round(100.0 * completed_chunks / nullif(total_chunks, 0), 2) AS completion_percentage
            FROM migration_status.migration_table_status;
        INSERT INTO migration_status.migration_runs VALUES
            ('9072358c-40cb-4310-a24c-338b00d66436', 'completed', '2024-12-04 10:00', '2024-12-04 10:45', 1, 1, 0, 8471089, NULL);
        INSERT INTO migration_status.migration_table_status (run_id, source_name, table_name, status, total_chunks, completed_chunks, rows_copied)
            VALUES ('9072358c-40cb-4310-a24c-338b00d66436', 'conflict', 'conflictvisitmaps', 'completed', 2, 2, 8471089);
        INSERT INTO migration_status.migration_chunk_status (run_id, table_name, chunk_id, chunk_range, status, rows_copied, retry_count)
            VALUES ('9072358c-40cb-4310-a24c-338b00d66436', 'conflictvisitmaps', 1, '{"start": 1}', 'completed', 5000000, 0),
                   ('9072358c-40cb-4310-a24c-338b00d66436', 'conflictvisitmaps', 2, '{"start": 5000001}', 'completed', 3471089, 1);
        """;

    [Fact]
    public async Task Every_verb_stops_with_one_catalogued_error_naming_the_upgrade()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.TargetSql(OlderToolStatus);
        await env.Source("""CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint); INSERT INTO "PUBLIC"."ITEMS" VALUES (1);""");
        await env.TargetSql("CREATE TABLE items (id bigint)");
        var config = env.ConfigFile("""[ { "source": "ITEMS", "target": "items", "truncate_onstart": true } ]""");
        const string RunId = "9072358c-40cb-4310-a24c-338b00d66436";
        var invocations = new[]
        {
            new[] { "migrate", "--config", config },
            ["install-schema", "--config", config],
            ["runs", "--config", config],
            ["tables", "--config", config],
            ["chunks", "--config", config],
            ["status", "--config", config, "--run-id", RunId],
            ["stop-run", "--config", config, "--run-id", RunId],
        };

        foreach (var arguments in invocations)
        {
            var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, arguments);

            var all = output + error;
            exitCode.Should().BeOneOf([1, 2], $"{arguments[0]}: {all}");
            all.Should().Contain("SFPG4012", arguments[0]).And.Contain("--upgrade-legacy", arguments[0])
                .And.NotContain("Unhandled", arguments[0]).And.NotContain("42703", arguments[0]).And.NotContain("privilege", arguments[0]);
        }

        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_chunk_status")).Should().Be(2, "nothing of the older tool's was touched");
        (await env.TargetScalar<long>("SELECT count(*) FROM items")).Should().Be(0, "no run started");
    }

    [Fact]
    public async Task The_upgrade_keeps_the_older_history_under_legacy_names_and_a_migration_then_runs()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.TargetSql(OlderToolStatus);
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 500) g;
            """);
        await env.TargetSql("CREATE TABLE items (id bigint, name text)");
        var config = env.ConfigFile("""[ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true } ]""", batchSize: 100);

        var whatIf = await SfpgProcess.RunAsync(ProcessTimeout, "install-schema", "--config", config, "--upgrade-legacy", "--what-if");
        whatIf.ExitCode.Should().Be(0, whatIf.Output + whatIf.Error);
        whatIf.Output.Should().Contain("what if: ALTER TABLE migration_status.\"migration_runs\" RENAME TO \"legacy_migration_runs\";")
            .And.Contain("nothing was changed");
        (await env.TargetScalar<bool>("SELECT to_regclass('migration_status.legacy_migration_runs') IS NULL")).Should().BeTrue("-WhatIf changes nothing");

        var upgrade = await SfpgProcess.RunAsync(ProcessTimeout, "install-schema", "--config", config, "--upgrade-legacy");
        upgrade.ExitCode.Should().Be(0, upgrade.Output + upgrade.Error);
        upgrade.Output.Should().Contain("migration_status schema installed");

        // The older history is all there, under clear names, and its monitoring views still read it.
        (await env.TargetScalar<long>("SELECT total_rows_copied FROM migration_status.legacy_migration_runs")).Should().Be(8471089);
        (await env.TargetScalar<long>("SELECT sum(rows_copied)::bigint FROM migration_status.legacy_migration_chunk_status")).Should().Be(8471089);
        (await env.TargetScalar<decimal>("SELECT completion_percentage FROM migration_status.legacy_v_table_progress")).Should().Be(100m);
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(0, "our tables start empty");

        var migrate = await SfpgProcess.RunAsync(ProcessTimeout, "migrate", "--config", config);
        migrate.ExitCode.Should().Be(0, migrate.Output + migrate.Error);
        (await env.TargetFingerprint("items")).Should().Be(await env.SourceFingerprint("ITEMS"));
        (await env.TargetColumn<string>("SELECT status FROM migration_status.migration_runs")).Should().Equal("completed");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.legacy_migration_runs")).Should().Be(1, "the run left the older history alone");

        // The older tool's monitoring queries read our views by its column names.
        (await env.TargetScalar<decimal>("SELECT completion_percentage FROM migration_status.v_table_progress WHERE table_name = 'items'")).Should().Be(100m);
        (await env.TargetScalar<long>("SELECT count(run_status) FROM migration_status.v_active_migrations")).Should().Be(0, "no run is running");

        var runs = await SfpgProcess.RunAsync(ProcessTimeout, "runs", "--config", config);
        runs.ExitCode.Should().Be(0, runs.Output + runs.Error);
        var again = await SfpgProcess.RunAsync(ProcessTimeout, "install-schema", "--config", config, "--upgrade-legacy");
        again.ExitCode.Should().Be(0, "a second upgrade finds nothing left to rename: " + again.Output + again.Error);
    }

    [Fact]
    public async Task A_dry_upgrade_lists_the_renames_and_changes_nothing_then_the_upgrade_applies_them()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.TargetSql(OlderToolStatus);

        var renames = await WithDataSource(env, ds => StatusSchema.UpgradeLegacyAsync(ds, apply: false, CancellationToken.None));
        renames.Should().Contain("ALTER INDEX migration_status.\"migration_runs_pkey\" RENAME TO \"legacy_migration_runs_pkey\"")
            .And.Contain("ALTER VIEW migration_status.\"v_table_progress\" RENAME TO \"legacy_v_table_progress\"");
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.migration_runs")).Should().Be(1, "a dry upgrade renames nothing");

        await WithDataSource(env, ds => StatusSchema.UpgradeLegacyAsync(ds, apply: true, CancellationToken.None));
        (await WithDataSource(env, ds => StatusSchema.IsInstalledAsync(ds, CancellationToken.None))).Should().BeTrue();
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.legacy_migration_table_status")).Should().Be(1);
    }

    [Fact]
    public async Task The_older_tools_runs_are_listed_read_only_beside_ours_with_include_legacy()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.TargetSql(OlderToolStatus);
        await env.Source("""CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint); INSERT INTO "PUBLIC"."ITEMS" SELECT g FROM generate_series(1, 50) g;""");
        await env.TargetSql("CREATE TABLE items (id bigint)");
        var config = env.ConfigFile("""[ { "source": "ITEMS", "target": "items", "truncate_onstart": true } ]""");
        (await SfpgProcess.RunAsync(ProcessTimeout, "install-schema", "--config", config, "--upgrade-legacy")).ExitCode.Should().Be(0);
        (await SfpgProcess.RunAsync(ProcessTimeout, "migrate", "--config", config)).ExitCode.Should().Be(0);

        var plain = await SfpgProcess.RunAsync(ProcessTimeout, "runs", "--config", config);
        plain.Output.Should().NotContain("9072358c", "the older runs are listed only when asked for");

        var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "runs", "--config", config, "--include-legacy");
        exitCode.Should().Be(0, output + error);
        output.Should().Contain("Runs of the older Python tool (read-only, from migration_status.legacy_migration_runs)")
            .And.Contain("9072358c-40cb-4310-a24c-338b00d66436").And.Contain("conflict").And.Contain("8,471,089");

        // Get-SfPgRun -IncludeLegacy is tested in real pwsh (tests/Pester/Status.Tests.ps1).
        (await env.TargetScalar<long>("SELECT count(*) FROM migration_status.legacy_migration_runs")).Should().Be(1, "listing changes nothing");
    }

    private static async Task<T> WithDataSource<T>(MigrationEnvironment env, Func<Npgsql.NpgsqlDataSource, Task<T>> call)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(env.TargetConnection);
        return await call(dataSource);
    }
}
