using Npgsql;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Postgres;

public sealed class TargetIndexesTests
{
    private static async Task<List<string>> IndexNamesAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1", connection);
        command.Parameters.AddWithValue(table);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    [Fact]
    public async Task Indexes_and_keys_drop_and_come_back_exactly_and_restoring_twice_is_harmless()
    {
        await using var connection = new NpgsqlConnection(await PostgresServer.CreateDatabaseAsync("idx"));
        await connection.OpenAsync();
        await using (var setup = new NpgsqlCommand("""
            CREATE TABLE parent ("Id" int PRIMARY KEY);
            CREATE TABLE "Child Rows" ("Id" int PRIMARY KEY, "Parent Id" int REFERENCES parent ("Id"), "Code" text UNIQUE, "Name" text);
            CREATE INDEX "ix Name" ON "Child Rows" (lower("Name"));
            """, connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var before = await IndexNamesAsync(connection, "\"Child Rows\"");
        var definitions = await TargetIndexes.ReadAsync(connection, "public", "Child Rows", null, CancellationToken.None);
        definitions.Select(d => d.Kind).Should().BeEquivalentTo([IndexObjectKind.ForeignKey, IndexObjectKind.PrimaryKey, IndexObjectKind.Unique, IndexObjectKind.Index]);

        await TargetIndexes.DropAsync(connection, definitions, CancellationToken.None);
        (await IndexNamesAsync(connection, "\"Child Rows\"")).Should().BeEmpty();

        (await TargetIndexes.RestoreAsync(connection, definitions, CancellationToken.None)).Should().Be(4);
        (await TargetIndexes.RestoreAsync(connection, definitions, CancellationToken.None)).Should().Be(0);
        (await IndexNamesAsync(connection, "\"Child Rows\"")).Should().Equal(before);
        var again = await TargetIndexes.ReadAsync(connection, "public", "Child Rows", null, CancellationToken.None);
        again.Should().BeEquivalentTo(definitions);
    }

    [Fact]
    public async Task The_unique_key_an_upsert_needs_is_kept()
    {
        await using var connection = new NpgsqlConnection(await PostgresServer.CreateDatabaseAsync("idx"));
        await connection.OpenAsync();
        await using (var setup = new NpgsqlCommand(
            "CREATE TABLE t (\"A\" int, \"B\" int, \"C\" text, PRIMARY KEY (\"B\", \"A\")); CREATE INDEX ix_c ON t (\"C\")", connection))
        {
            await setup.ExecuteNonQueryAsync();
        }

        var definitions = await TargetIndexes.ReadAsync(connection, "public", "t", ["A", "B"], CancellationToken.None);

        definitions.Should().ContainSingle().Which.Name.Should().Be("ix_c");
        (await TargetTableInspector.HasUniqueKeyAsync(connection, "public", "t", ["A", "B"], CancellationToken.None)).Should().BeTrue();
        (await TargetTableInspector.HasUniqueKeyAsync(connection, "public", "t", ["A"], CancellationToken.None)).Should().BeFalse();
    }
}
