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
}
