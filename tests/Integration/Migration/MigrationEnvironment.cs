using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Tests.Integration.Infrastructure;

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

    public static async Task<MigrationEnvironment> StartAsync(Func<EmulatorOptions, EmulatorOptions>? configure = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var warehouse = $"WH_{id}".ToUpperInvariant();
        var admin = await PostgresServer.ConnectionStringAsync();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {PgIdentifier.Quote(warehouse)}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var warehouseConnection = new NpgsqlConnectionStringBuilder(admin) { Database = warehouse }.ConnectionString;
        await Execute(warehouseConnection, "CREATE SCHEMA \"PUBLIC\"");
        var targetConnection = await PostgresServer.CreateDatabaseAsync("target");
        var options = new EmulatorOptions { PostgresConnectionString = admin, PartitionRows = 5_000 };
        var emulator = await EmulatorHost.StartAsync(configure?.Invoke(options) ?? options);
        return new MigrationEnvironment(emulator, warehouse, warehouseConnection, new NpgsqlConnectionStringBuilder(targetConnection).Database!, targetConnection);
    }

    public Task Source(string sql) => Execute(WarehouseConnection, sql);

    public Task TargetSql(string sql) => Execute(TargetConnection, sql);

    public async Task<T> TargetScalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(TargetConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A config with one source over this environment; <paramref name="tables"/> is the JSON of its tables array.</summary>
    public string ConfigJson(string tables, int parallelThreads = 2, int batchSize = 1000, int maxRetryAttempts = 3)
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
              "deadline_buffer_seconds": 1,
              "sources": [ { "source_name": "test", "source_sf_database": "\"{{Warehouse}}\"", "source_sf_schema": "\"PUBLIC\"",
                             "target_pg_database": "{{Target}}", "target_pg_schema": "public", "tables": {{tables}} } ]
            }
            """;
    }

    public MigrationConfig Config(string tables, int parallelThreads = 2, int batchSize = 1000, int maxRetryAttempts = 3)
    {
        var result = ConfigLoader.Parse(ConfigJson(tables, parallelThreads, batchSize, maxRetryAttempts));
        return result.GetConfigOrThrow();
    }

    public Task<MigrationResult> RunAsync(MigrationConfig config, MigrationOptions? options = null, CancellationToken cancellationToken = default) =>
        new MigrationRunner(config, (options ?? new MigrationOptions()) with { HeartbeatInterval = TimeSpan.FromMilliseconds(500), RetryBaseDelay = TimeSpan.FromMilliseconds(50) },
                new ListReporter(Events),
                new SnowflakeClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200) })
            .RunAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    private sealed class ListReporter(List<EngineEvent> events) : IEngineReporter
    {
        public void Report(EngineEvent engineEvent)
        {
            lock (events)
            {
                events.Add(engineEvent);
            }
        }
    }
}
