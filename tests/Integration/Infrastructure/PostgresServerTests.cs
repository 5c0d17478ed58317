using Npgsql;

namespace SnowPgMigration.Tests.Integration.Infrastructure;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Each_test_database_is_new_and_empty()
    {
        var first = await PostgresServer.CreateDatabaseAsync();
        var second = await PostgresServer.CreateDatabaseAsync();

        first.Should().NotBe(second);
        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", connection);
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(0);
    }
}
