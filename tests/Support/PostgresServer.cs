using Npgsql;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.LocalPostgres;

namespace SnowPgMigration.Tests.Support;

/// <summary>
/// The PostgreSQL server the integration tests share: the one named by <c>SFPG_TEST_PG</c>, or a
/// throwaway cluster started once per test run and removed when the run ends. Each test gets a
/// database of its own from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public static class PostgresServer
{
    public const string ServerVariable = "SFPG_TEST_PG";

    private static readonly Lazy<Task<Func<string, string>>> Server = new(StartAsync);
    private static LocalPostgresCluster? _cluster;

    /// <summary>Creates a new empty database and returns its connection string.</summary>
    public static Task<string> CreateDatabaseAsync(string prefix = "t") =>
        CreateNamedDatabaseAsync($"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant());

    /// <summary>
    /// A new warehouse for the emulator to serve: a database named like a Snowflake database (<c>WH_</c> and
    /// upper-case hex) holding the empty schema <c>"PUBLIC"</c>.
    /// </summary>
    public static async Task<(string Name, string ConnectionString)> CreateWarehouseAsync()
    {
        var name = $"WH_{Guid.NewGuid():N}"[..13].ToUpperInvariant();
        var connectionString = await CreateNamedDatabaseAsync(name);
        await Sql.ExecuteAsync(connectionString, "CREATE SCHEMA \"PUBLIC\"");
        return (name, connectionString);
    }

    private static async Task<string> CreateNamedDatabaseAsync(string name)
    {
        var connectionFor = await Server.Value;
        await Sql.ExecuteAsync(connectionFor("postgres"), $"CREATE DATABASE {PgIdentifier.Quote(name)}");
        return connectionFor(name);
    }

    /// <summary>A connection string for an existing database on the shared server.</summary>
    public static async Task<string> ConnectionStringAsync(string database = "postgres") =>
        (await Server.Value)(database);

    private static async Task<Func<string, string>> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return database => new NpgsqlConnectionStringBuilder(external) { Database = database }.ConnectionString;
        }

        // Every test class shares this server, and the real sfpg processes, emulators and pools of the ones running at
        // once hold their connections together: more than the 300 a single run's cluster needs.
        _cluster = await LocalPostgresCluster.StartAsync(maxConnections: 1000);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return _cluster.ConnectionString;
    }
}
