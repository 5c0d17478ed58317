using Npgsql;
using SnowPgMigration.Emulator;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Unload;
using SnowPgMigration.LocalAzurite;

namespace SnowPgMigration.Tests.Integration.Unload;

/// <summary>
/// Real components for the unload path: Azurite's blob service, the emulated SQL API (whose COPY INTO
/// writes into Azurite) over a source database, and a target database with the status schema and one
/// recorded run, table and chunk.
/// </summary>
public sealed class UnloadEnvironment : IAsyncDisposable
{
    public const string Table = "typed";
    public const int ChunkId = 0;
    private static readonly HttpClient Http = new();

    private UnloadEnvironment(AzuriteServer azurite, EmulatorHost emulator, string sourceDb, string source, string target, AzureBlobClient blobs, SnowflakeClient client)
    {
        Azurite = azurite;
        Emulator = emulator;
        SourceDatabase = sourceDb;
        SourceConnection = source;
        TargetConnection = target;
        Blobs = blobs;
        Client = client;
        Target = NpgsqlDataSource.Create(target);
        Files = new UnloadFileStore(Target);
    }

    public AzuriteServer Azurite { get; }
    public EmulatorHost Emulator { get; }
    public string SourceDatabase { get; }
    public string SourceConnection { get; }
    public string TargetConnection { get; }
    public AzureBlobClient Blobs { get; }
    public SnowflakeClient Client { get; }
    public NpgsqlDataSource Target { get; }
    public UnloadFileStore Files { get; }
    public Guid RunId { get; } = Guid.NewGuid();

    public static async Task<UnloadEnvironment> StartAsync()
    {
        var azurite = await AzuriteServer.StartAsync();
        var source = await PostgresServer.CreateDatabaseAsync("unsrc");
        var target = await PostgresServer.CreateDatabaseAsync("untgt");
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions
        {
            PostgresConnectionString = source,
            AsyncThreshold = TimeSpan.FromSeconds(30),
            AzureBlobEndpoint = $"http://127.0.0.1:{azurite.Port}",
        });
        var client = SnowflakeClient.Create(
            new SnowflakeSettings
            {
                Account = "testorg-testaccount", User = "TESTER", Token = "token", Authenticator = "PROGRAMMATIC_ACCESS_TOKEN",
                Host = emulator.BaseUri.Host, Port = emulator.BaseUri.Port, Scheme = "http",
            },
            new SnowflakeClientOptions());
        var blobs = await azurite.ClientAsync(Http, "unload", "stage");
        var environment = new UnloadEnvironment(azurite, emulator, new NpgsqlConnectionStringBuilder(source).Database!, source, target, blobs, client);
        await using var status = new StatusStore(environment.Target);
        await status.InstallSchemaAsync(CancellationToken.None);
        await environment.TargetSql($"""
            INSERT INTO migration_status.migration_runs (run_id, source_name, config_hash) VALUES ('{environment.RunId}', 'unload', 'test');
            INSERT INTO migration_status.migration_table_status (run_id, table_name, source_table, target_schema) VALUES ('{environment.RunId}', '{Table}', 'TYPED', 'public');
            INSERT INTO migration_status.migration_chunk_status (run_id, table_name, chunk_id, strategy) VALUES ('{environment.RunId}', '{Table}', {ChunkId}, 'single');
            """);
        return environment;
    }

    public SnowflakeSource Source => new(Client, SourceDatabase, "public", warehouse: null, role: null);

    public ChunkUnload Chunk(long maxFileSize) =>
        new(Source, Files, Blobs, UnloadCredential.FromSas(AzuriteServer.Sas()), maxFileSize);

    public UnloadedFileLoader Loader(IReadOnlyList<string> columns, TimeProvider? clock = null) =>
        new(Target, Files, Blobs, "public", Table, columns, TimeSpan.FromSeconds(5), clock ?? TimeProvider.System);

    public Task SourceSql(string sql) => Execute(SourceConnection, sql);

    public Task TargetSql(string sql) => Execute(TargetConnection, sql);

    public static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Target.DisposeAsync();
        await Emulator.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
