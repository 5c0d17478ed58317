using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.LocalPostgres;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// A warehouse database behind an in-process emulator, and a target database, on the shared test
/// server; configs are written as JSON and loaded through the real config loader.
/// </summary>
public sealed class MigrationEnvironment : IAsyncDisposable
{
    private MigrationEnvironment(EmulatorHost emulator, string warehouse, string warehouseConnection, string target, string targetConnection)
    {
        Emulator = emulator;
        Warehouse = warehouse;
        WarehouseConnection = warehouseConnection;
        Target = target;
        TargetConnection = targetConnection;
    }

    public EmulatorHost Emulator { get; }

    /// <summary>The Snowflake database name (a PostgreSQL database of the same name behind the emulator).</summary>
    public string Warehouse { get; }

    public string WarehouseConnection { get; }

    public string Target { get; }

    public string TargetConnection { get; }

    public List<EngineEvent> Events { get; } = [];

    /// <summary>Adjusts the emulator's options (faults, partition size) before it starts.</summary>
    public delegate EmulatorOptions Options(EmulatorOptions defaults);

    /// <param name="targetServer">A server of the test's own for the target database (one it may restart); the shared one otherwise.</param>
    public static async Task<MigrationEnvironment> StartAsync(Options? configure = null, LocalPostgresCluster? targetServer = null)
    {
        var admin = await PostgresServer.ConnectionStringAsync();
        var (warehouse, warehouseConnection) = await PostgresServer.CreateWarehouseAsync();
        var targetConnection = targetServer is null
            ? await PostgresServer.CreateDatabaseAsync("target")
            : await targetServer.CreateDatabaseAsync($"target_{Guid.NewGuid():N}"[..17]);
        var options = new EmulatorOptions { PostgresConnectionString = admin, PartitionRows = 5_000 };
        var emulator = await EmulatorHost.StartAsync(configure?.Invoke(options) ?? options);
        return new MigrationEnvironment(emulator, warehouse, warehouseConnection, new NpgsqlConnectionStringBuilder(targetConnection).Database!, targetConnection);
    }

    public Task Source(string sql) => Sql.ExecuteAsync(WarehouseConnection, sql);

    public Task TargetSql(string sql) => Sql.ExecuteAsync(TargetConnection, sql);

    public Task<T> TargetScalar<T>(string sql) => Sql.ScalarAsync<T>(TargetConnection, sql);

    /// <summary>A config with one source over this environment; <paramref name="tables"/> is the JSON of its tables array.</summary>
    public string ConfigJson(string tables, int parallelThreads = 2, int batchSize = 1000, int maxRetryAttempts = 3, int deadlineBufferSeconds = 1)
    {
        var target = new NpgsqlConnectionStringBuilder(TargetConnection);
        return $$"""
            {
              "snowflake": { "account": "sandbox", "user": "tester", "token": "any", "authenticator": "PROGRAMMATIC_ACCESS_TOKEN",
                             "host": "{{Emulator.BaseUri.Host}}", "port": {{Emulator.BaseUri.Port}}, "scheme": "http" },
              "postgres": { "host": "{{target.Host}}", "port": {{target.Port}}, "user": "{{target.Username}}" },
              "parallel_threads": {{parallelThreads}},
              "batch_size": {{batchSize}},
              "max_retry_attempts": {{maxRetryAttempts}},
              "deadline_buffer_seconds": {{deadlineBufferSeconds}},
              "sources": [ { "source_name": "test", "source_sf_database": "\"{{Warehouse}}\"", "source_sf_schema": "\"PUBLIC\"",
                             "target_pg_database": "{{Target}}", "target_pg_schema": "public", "tables": {{tables}} } ]
            }
            """;
    }

    public MigrationConfig Config(string tables, int parallelThreads = 2, int batchSize = 1000, int maxRetryAttempts = 3, int deadlineBufferSeconds = 1)
    {
        var result = ConfigLoader.Parse(ConfigJson(tables, parallelThreads, batchSize, maxRetryAttempts, deadlineBufferSeconds));
        return result.GetConfigOrThrow();
    }

    public Task<MigrationResult> RunAsync(MigrationConfig config, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new MigrationRunner(config, (options ?? new MigrationOptions()) with { HeartbeatInterval = TimeSpan.FromMilliseconds(500), RetryBaseDelay = TimeSpan.FromMilliseconds(50) },
                EngineReporter.Create(Add, Add, EngineLogLevel.Verbose),
                new SnowflakeClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200) })
            .RunAsync(cancellationToken);

    /// <summary>Writes a config file for the <c>sfpg</c> CLI; it is deleted with the environment.</summary>
    public string ConfigFile(string tables, int parallelThreads = 2, int batchSize = 1000, int maxRetryAttempts = 3, int deadlineBufferSeconds = 1)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sfpg-{Target}-{_files.Count}.json");
        File.WriteAllText(path, ConfigJson(tables, parallelThreads, batchSize, maxRetryAttempts, deadlineBufferSeconds));
        _files.Add(path);
        return path;
    }

    public Task<T> SourceScalar<T>(string sql) => Sql.ScalarAsync<T>(WarehouseConnection, sql);

    public async Task<List<T>> TargetColumn<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(TargetConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    /// <summary>Row count and an order-independent checksum (sum of the rows' text hashes) of the source table <c>"PUBLIC".<paramref name="sourceTable"/></c>.</summary>
    public Task<RowsFingerprint> SourceFingerprint(string sourceTable, string columns = "*") =>
        Fingerprint(WarehouseConnection, $"\"PUBLIC\".{PgIdentifier.Quote(sourceTable)}", columns);

    /// <summary>The same fingerprint of the target table <c>public.<paramref name="targetTable"/></c>; equal when the rows are equal.</summary>
    public Task<RowsFingerprint> TargetFingerprint(string targetTable, string columns = "*") =>
        Fingerprint(TargetConnection, $"public.{PgIdentifier.Quote(targetTable)}", columns);

    public IEnumerable<string> Warnings()
    {
        lock (Events)
        {
            return Events.OfType<LogEvent>().Where(e => e.Level == EngineLogLevel.Warning).Select(e => e.Message).ToList();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files)
        {
            File.Delete(file);
        }

        await Emulator.DisposeAsync();
    }

    private readonly List<string> _files = [];

    private static async Task<RowsFingerprint> Fingerprint(string connectionString, string table, string columns)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // md5 of each row's text, summed as numbers: independent of row order, sensitive to every value and to duplicates.
        await using var command = new NpgsqlCommand(
            $"SELECT count(*), coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint::numeric), 0) FROM (SELECT {columns} FROM {table}) r",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new RowsFingerprint(reader.GetInt64(0), reader.GetDecimal(1));
    }

    /// <summary>The engine's own log lines of the runs so far (not Npgsql's).</summary>
    public List<LogEvent> LogLines()
    {
        lock (Events)
        {
            return Events.OfType<LogEvent>().Where(e => e.Category.StartsWith("SnowPgMigration.Engine", StringComparison.Ordinal)).ToList();
        }
    }

    private void Add(EngineEvent engineEvent)
    {
        lock (Events)
        {
            Events.Add(engineEvent);
        }
    }
}

/// <summary>A table's row count and order-independent checksum.</summary>
public sealed record RowsFingerprint(long Rows, decimal Checksum);
