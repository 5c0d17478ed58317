using Npgsql;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// A value PostgreSQL refuses fails its chunk with a catalogued code naming table, column and an excerpt of the
/// value, and advice the user can follow (never a connection-string setting the config cannot set).
/// </summary>
public sealed class TargetDataErrorTests
{
    [Theory]
    [InlineData("\"N\" text", "'abcdefghij'", "n text CHECK (length(n) < 5)", "SFPG2117", "Table public.items: row refused by CHECK constraint \"items_n_check\"")]
    [InlineData("\"N\" text", "NULL", "n text NOT NULL", "SFPG2115", "Table public.items, column \"n\": NULL in a NOT NULL column; value NULL")]
    [InlineData("\"N\" bigint", "7", "n bigint UNIQUE", "SFPG2116", "Table public.items, column \"n\": duplicate key in unique index \"items_n_key\"; value '7'")]
    [InlineData("\"N\" json", "'{\"a\": \"\\u0000\"}'", "n jsonb", "SFPG2114", "Table public.items, column \"n\": text PostgreSQL cannot store (PostgreSQL 22P05")]
    [InlineData("\"N\" bigint", "70000", "n smallint", "SFPG2101", "Table public.items, column \"n\" (smallint): cannot convert '70000'")]
    [InlineData("\"N\" text", "'abcdefghij'", "n char(3)", "SFPG2111", "Table public.items, column \"n\" (character(3)): cannot convert 'abcdefghij'")]
    public async Task A_value_the_target_refuses_fails_the_chunk_naming_table_column_and_value(
        string sourceColumn, string value, string targetColumn, string code, string message)
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source($"""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, {sourceColumn});
            INSERT INTO "PUBLIC"."ITEMS" VALUES (1, {value}), (2, {value});
            """);
        await env.TargetSql($"CREATE TABLE items (id bigint, {targetColumn})");
        var config = env.Config("""[ { "source": "ITEMS", "target": "items" } ]""", maxRetryAttempts: 0);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().NotBe(RunStatus.Completed);
        var error = await env.TargetScalar<string>("SELECT string_agg(error, ' | ') FROM migration_status.migration_chunk_status");
        error.Should().Contain(message);
        run.Tables.Single().Error.Should().Contain(code).And.Contain(message).And.NotContain("Include Error Detail");
        error.Should().NotContain("Include Error Detail");
    }

    /// <summary>The PostgreSQL errors themselves, raised by a real server in a COPY, map to their codes.</summary>
    [Theory]
    [InlineData("n smallint", "70000", "SFPG2112", "Table public.items, column \"n\": number out of range; value '70000' (PostgreSQL 22003")]
    [InlineData("n varchar(5)", "abcdefghij", "SFPG2113", "Table public.items, column \"n\": value too long; value 'abcdefghij' (PostgreSQL 22001")]
    [InlineData("n text", "a\0b", "SFPG2114", "Table public.items: text PostgreSQL cannot store (PostgreSQL 22021")]
    [InlineData("n numeric(3,1)", "12345.6", "SFPG2112", "Table public.items, column \"n\": number out of range; value '12345.6' (PostgreSQL 22003")]
    public async Task A_postgres_data_error_in_a_copy_names_its_code_table_column_and_value(string column, string value, string code, string message)
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("dataerr");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE TABLE items (id bigint, {column})", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var copy = async () =>
        {
            await using var writer = await connection.BeginTextImportAsync("COPY items (id, n) FROM STDIN");
            await writer.WriteAsync($"1\t{value}\n");
        };

        var refused = (await copy.Should().ThrowAsync<PostgresException>()).Which;
        var mapped = TargetDataError.From(refused, "public", "items");

        mapped.Should().NotBeNull();
        mapped!.Code.Should().Be(code);
        mapped.Message.Should().Contain(message).And.Contain($"[{code}: ").And.NotContain("Include Error Detail");
    }
}
