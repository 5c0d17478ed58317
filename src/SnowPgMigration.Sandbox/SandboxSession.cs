using System.Diagnostics;
using System.Globalization;
using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.LocalPostgres;

namespace SnowPgMigration.Sandbox;

/// <summary>
/// The tool end to end on one machine with no Snowflake account: a throwaway PostgreSQL cluster
/// holds the demo warehouse (behind the emulated SQL API) and the target; a full migration, an
/// incremental change and a second run, then checksum verification of every table. With
/// <see cref="SandboxOptions.Unload"/> the full loads go through an Azurite stage the sandbox starts.
/// </summary>
internal sealed class SandboxSession(SandboxOptions options, IEngineReporter reporter, TextWriter output)
{
    // The emulator accepts only this session's own token, even on loopback.
    private readonly string _emulatorToken = "sandbox-" + System.Security.Cryptography.RandomNumberGenerator.GetHexString(32, lowercase: true);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Say($"Starting a throwaway PostgreSQL cluster ...");
        await using var cluster = await LocalPostgresCluster.StartAsync(cancellationToken: cancellationToken);
        var warehouse = new DemoWarehouse(options.Scale);
        await CreateDatabaseAsync(cluster, DemoWarehouse.Database, warehouse.WarehouseSql(), cancellationToken);
        await CreateDatabaseAsync(cluster, DemoWarehouse.TargetDatabase, DemoWarehouse.TargetSql(), cancellationToken);
        Say($"Seeded the demo warehouse {DemoWarehouse.Database} (scale {options.Scale.ToString(CultureInfo.InvariantCulture)}) in {clock.Elapsed.TotalSeconds:N1} s.");

        await using var stage = options.Unload ? await StartStageAsync(cancellationToken) : null;
        await using var emulator = await EmulatorHost.StartAsync(
            new EmulatorOptions
            {
                PostgresConnectionString = cluster.ConnectionString(), PartitionRows = 10_000, AcceptedTokens = [_emulatorToken], AzureBlobEndpoint = stage?.EmulatorEndpoint,
            },
            cancellationToken);
        Say($"Emulated Snowflake SQL API on {emulator.BaseUri}");

        Directory.CreateDirectory(options.Directory);
        var configPath = Path.Combine(options.Directory, "config.json");
        await File.WriteAllTextAsync(configPath, ConfigJson(cluster, emulator, stage), cancellationToken);
        Say($"Config written to {configPath}");
        var config = ConfigLoader.Load(configPath).GetConfigOrThrow();
        if (stage is not null)
        {
            Say($"Extracted by unload through the stage: {string.Join(", ", config.Sources.Single().Tables.Where(t => t.Extract == ExtractMethod.Unload).Select(t => t.Target))}");
        }

        Say("");
        Say("Run 1: full migration of every table");
        var first = await RunAsync(config, new MigrationOptions { ThrottleLimit = options.Threads }, cancellationToken);

        Say("");
        Say($"Incremental change in the source: customers updated and added; run 2 copies table '{DemoWarehouse.IncrementalTable}' again");
        await ExecuteAsync(cluster.ConnectionString(DemoWarehouse.Database), warehouse.IncrementalChangeSql(), cancellationToken);
        var second = await RunAsync(config, new MigrationOptions { Table = DemoWarehouse.IncrementalTable, ThrottleLimit = options.Threads }, cancellationToken);

        Say("");
        Say("Verification: every row of every table, source against target, by count and checksum");
        var verifications = await VerifyAsync(config, cluster, cancellationToken);
        var compared = await new TargetVerifier(config, reporter).VerifyAsync(new VerifyRequest { Deep = true }, cancellationToken);

        PrintSummary(config, first, second, verifications);
        PrintVerify(compared);
        if (stage is not null)
        {
            Say("");
            Say(await stage.ReportAsync(cluster.ConnectionString(DemoWarehouse.TargetDatabase), first.Runs.Single().RunId, cancellationToken));
        }

        var allVerified = verifications.All(v => v.Matches)
            && compared.All(t => t.Equal)
            && first.Runs.All(r => r.Status == RunStatus.Completed)
            && second.Runs.All(r => r.Status == RunStatus.Completed);
        Say("");
        Say(allVerified
            ? $"Every table verified equal. Sandbox finished in {clock.Elapsed.TotalSeconds:N1} s."
            : "Some tables are NOT equal; see above.");
        Say($"Status tables: schema migration_status in database {DemoWarehouse.TargetDatabase} ({cluster.ConnectionString(DemoWarehouse.TargetDatabase)})");

        if (options.Keep)
        {
            PrintExploreCommands(cluster, emulator, stage, configPath);
            Say(stage is null ? "Press Ctrl+C to stop the emulator and remove the cluster." : "Press Ctrl+C to stop the emulator and Azurite and remove the cluster.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return allVerified ? 0 : 1;
    }

    private async Task<SandboxStage> StartStageAsync(CancellationToken cancellationToken)
    {
        Say("Starting Azurite, the Azure Storage emulator, for the unload stage ...");
        var stage = await SandboxStage.StartAsync(cancellationToken);
        Say($"Azure Blob stage {SandboxStage.Url} on {stage.Endpoint}");
        return stage;
    }

    private async Task<MigrationResult> RunAsync(MigrationConfig config, MigrationOptions migrationOptions, CancellationToken cancellationToken)
    {
        var result = await new MigrationRunner(config, migrationOptions, reporter).RunAsync(cancellationToken);
        foreach (var run in result.Runs)
        {
            Say($"Run {run.RunId}: {StatusText.ToText(run.Status)}, {run.RowsCopied:N0} rows in {run.Elapsed.TotalSeconds:N1} s ({(run.Elapsed.TotalSeconds > 0 ? run.RowsCopied / run.Elapsed.TotalSeconds : 0):N0} rows/s)");
        }

        return result;
    }

    private static async Task<IReadOnlyList<TableVerification>> VerifyAsync(MigrationConfig config, LocalPostgresCluster cluster, CancellationToken cancellationToken)
    {
        var source = config.Sources.Single();
        using var client = SnowflakeClient.Create(config.Snowflake);
        var snowflake = new SnowflakeSource(client, source.SourceSfDatabase, source.SourceSfSchema, null, null);
        await using var target = NpgsqlDataSource.Create(cluster.ConnectionString(DemoWarehouse.TargetDatabase));
        var verifier = new TableVerifier(snowflake, target);
        var results = new List<TableVerification>();
        foreach (var table in source.Tables)
        {
            results.Add(await verifier.VerifyAsync(source, table, cancellationToken));
        }

        return results;
    }

    private void PrintSummary(MigrationConfig config, MigrationResult first, MigrationResult second, IReadOnlyList<TableVerification> verifications)
    {
        var c = CultureInfo.InvariantCulture;
        var extracts = config.Sources.Single().Tables.ToDictionary(t => t.Target, t => t.Extract == ExtractMethod.Unload ? "unload" : "sql_api", StringComparer.Ordinal);
        Say("");
        Say(string.Format(c, "{0,-16} {1,-22} {2,-8} {3,-11} {4,6} {5,12} {6,10}  {7}", "table", "strategy", "extract", "load", "chunks", "rows", "rows/s", "verified"));
        var tables = first.Runs.SelectMany(r => r.Tables).Select(t => (Run: "1", Table: t))
            .Concat(second.Runs.SelectMany(r => r.Tables).Select(t => (Run: "2", Table: t)));
        foreach (var (run, t) in tables)
        {
            var verification = verifications.FirstOrDefault(v => v.Table.EndsWith("." + t.Table, StringComparison.Ordinal));
            var verified = run == "1" && t.Table == DemoWarehouse.IncrementalTable
                ? "(changed, see run 2)"
                : verification is null ? "-" : verification.Matches ? $"yes ({verification.Source.Checksum})" : "NO: " + verification;
            Say(string.Format(c, "{0,-16} {1,-22} {2,-8} {3,-11} {4,6:N0} {5,12:N0} {6,10:N0}  {7}",
                (run == "2" ? "2: " : "") + t.Table, t.Strategy, extracts.GetValueOrDefault(t.Table, "-"), t.LoadMethod, t.Chunks, t.RowsCopiedThisRun, t.RowsPerSecond, verified));
        }
    }

    /// <summary>What sfpg verify finds per table: the counts per chunk range on both sides.</summary>
    private void PrintVerify(IReadOnlyList<RangeComparison> compared)
    {
        var c = CultureInfo.InvariantCulture;
        Say("");
        Say("sfpg verify --deep (a count and a row checksum per chunk range on both sides; differing ranges narrowed down to keys):");
        foreach (var t in compared)
        {
            Say(string.Format(c, "  {0,-16} {1,-9} {2,12:N0} source rows, {3,12:N0} target rows, {4,4:N0} range(s) by {5}; missing {6:N0}, extra {7:N0}, changed {8:N0}",
                t.TargetTable, t.Equal ? "equal" : "DIFFERENT", t.SourceRows, t.TargetRows, t.Ranges.Count, t.Depth.ToName(), t.Missing, t.Extra, t.Changed));
        }
    }

    private void PrintExploreCommands(LocalPostgresCluster cluster, EmulatorHost emulator, SandboxStage? stage, string configPath)
    {
        Say("");
        Say("Left running for you to explore:");
        Say($"  warehouse (PostgreSQL)  {cluster.ConnectionString(DemoWarehouse.Database)}");
        Say($"  target (PostgreSQL)     {cluster.ConnectionString(DemoWarehouse.TargetDatabase)}");
        Say($"  emulated Snowflake      {emulator.BaseUri}");
        if (stage is not null)
        {
            Say($"  stage (Azurite)         {stage.Endpoint} ({SandboxStage.Url}; its SAS is in the config)");
        }

        Say($"  psql                    psql -h 127.0.0.1 -p {cluster.Port} -U postgres -d {DemoWarehouse.TargetDatabase}");
        Say($"  runs                    dotnet run --project src/SnowPgMigration.Cli -- runs --config {configPath} --source {DemoWarehouse.SourceName}");
        Say($"  dry run                 dotnet run --project src/SnowPgMigration.Cli -- migrate --config {configPath} --dry-run");
        Say($"  PowerShell              Import-Module ./out/SnowPgMigration; Get-SfPgRun -ConfigPath {configPath} -Source {DemoWarehouse.SourceName} | Get-SfPgRunStatus");
    }

    private string ConfigJson(LocalPostgresCluster cluster, EmulatorHost emulator, SandboxStage? stage) => $$"""
        {
          "snowflake": {
            "account": "sandbox",
            "user": "sandbox",
            "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
            "token": "{{_emulatorToken}}",
            "host": "{{emulator.BaseUri.Host}}",
            "port": {{emulator.BaseUri.Port}},
            "scheme": "http"
          },
          "postgres": { "host": "127.0.0.1", "port": {{cluster.Port}}, "user": "postgres" },{{(stage is null ? "" : "\n  " + stage.ConfigJson().TrimEnd())}}
          "parallel_threads": {{options.Threads}},
          "batch_size": 10000,
          "max_retry_attempts": 3,
          "sources": [
            {
              "source_name": "{{DemoWarehouse.SourceName}}",
              "source_sf_database": "{{DemoWarehouse.Database}}",
              "source_sf_schema": "{{DemoWarehouse.Schema}}",
              "target_pg_database": "{{DemoWarehouse.TargetDatabase}}",
              "target_pg_schema": "{{DemoWarehouse.TargetSchema}}",
              "tables": {{DemoWarehouse.TablesJson(25_000, unload: stage is not null)}}
            }
          ]
        }
        """;

    private static async Task CreateDatabaseAsync(LocalPostgresCluster cluster, string name, string sql, CancellationToken cancellationToken)
    {
        var connectionString = await cluster.CreateDatabaseAsync(name, cancellationToken);
        await ExecuteAsync(connectionString, sql, cancellationToken);
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Say(string line) => output.WriteLine(line);
}
