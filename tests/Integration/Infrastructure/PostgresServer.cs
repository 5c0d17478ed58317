using Npgsql;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Tests.Integration.Infrastructure;

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
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var connectionFor = await Server.Value;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(connectionFor("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {PgIdentifier.Quote(name)}", connection);
        await command.ExecuteNonQueryAsync();
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

        _cluster = await LocalPostgresCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return _cluster.ConnectionString;
    }
}
