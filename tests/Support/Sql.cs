using Npgsql;

namespace SnowPgMigration.Tests.Support;

/// <summary>SQL on a test database, for arranging data and reading it back.</summary>
public static class Sql
{
    /// <summary>Seeding a large source table takes a while on a busy machine; a hung statement still ends.</summary>
    private const int CommandTimeoutSeconds = 600;

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = CommandTimeoutSeconds };
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
