using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Tests.Integration.Migration;

/// <summary>
/// A source_filter stays one predicate inside each chunk's bounds, and names PostgreSQL truncates or columns
/// the target lacks stop a table before anything is written, instead of emptying it or leaving columns NULL.
/// </summary>
/// <remarks>
/// Source columns over 63 bytes cannot exist behind the emulator (its warehouse is PostgreSQL, which cuts them
/// too), so their matching is proven on <c>ColumnMatcher</c> and <c>MappedColumnCheck</c> in the unit tests.
/// </remarks>
public sealed class FilterAndNameSafetyTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Source ITEMS with ids 1..1000; target <c>items</c> holding 50 rows of its own, which must survive a refused run.</summary>
    private static async Task<MigrationEnvironment> WithFilledTarget()
    {
        var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 1000) g;
            """);
        await env.TargetSql("""
            CREATE TABLE items (id bigint, name text);
            INSERT INTO items SELECT g, 'kept ' || g FROM generate_series(1, 50) g;
            """);
        return env;
    }

    private static string TruncatingTable(string extra) =>
        $$"""[ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "truncate_onstart": true{{extra}} } ]""";

    [Theory]
    [InlineData("\"ID\" > 0 -- positive ids only", "SFPG1030")]
    [InlineData("\"ID\" > 0; SELECT 1", "SFPG1031")]
    public async Task A_filter_that_would_swallow_the_statement_is_refused_and_the_truncate_onstart_target_keeps_its_rows(string filter, string code)
    {
        await using var env = await WithFilledTarget();
        var before = await env.TargetFingerprint("items");
        var config = env.ConfigFile(TruncatingTable($", \"source_filter\": {System.Text.Json.JsonSerializer.Serialize(filter)}"));

        var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "migrate", "--config", config);

        exitCode.Should().Be(2, output + error);
        error.Should().Contain(code).And.Contain("sources[0].tables[0].source_filter");
        (await env.TargetFingerprint("items")).Should().Be(before, "a refused config writes nothing");
    }

    [Fact]
    public async Task A_filter_escaping_its_parentheses_is_refused_by_validate()
    {
        await using var env = await WithFilledTarget();
        var config = env.ConfigFile(TruncatingTable(""", "source_filter": "\"ID\" > 0) OR (\"ID\" < 0" """));

        var (exitCode, output, error) = await SfpgProcess.RunAsync(ProcessTimeout, "validate", "--config", config);

        exitCode.Should().NotBe(0, output + error);
        (output + error).Should().Contain("SFPG1032").And.Contain("sources[0].tables[0].source_filter");
    }

    [Fact]
    public async Task A_filter_escaping_its_parentheses_that_bypasses_the_loader_loads_no_row_outside_the_source()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g FROM generate_series(1, 1000) g;
            """);
        await env.TargetSql("CREATE TABLE items (id bigint, name text)");
        var loaded = env.Config("""[ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "source_filter": "\"ID\" > 0" } ]""",
            batchSize: 200);
        // The engine is a library too: a config built in code must not get past the check the loader makes.
        var source = loaded.Sources[0];
        var config = loaded with { Sources = [source with { Tables = [source.Tables[0] with { SourceFilter = "\"ID\" > 0) OR (\"ID\" < 0" }] }] };

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().NotBe(RunStatus.Completed);
        run.Tables.Single().ErrorCode.Should().Be("SFPG1032", run.Tables.Single().Error);
        (await env.TargetScalar<long>("SELECT count(*) FROM items")).Should().Be(0);
    }

    [Fact]
    public async Task A_balanced_filter_with_strings_and_quoted_names_loads_exactly_its_rows()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, CASE WHEN g % 2 = 0 THEN 'it''s ) -- ; even' ELSE 'odd' END FROM generate_series(1, 1000) g;
            CREATE TABLE "PUBLIC"."EVEN_ITEMS" AS SELECT * FROM "PUBLIC"."ITEMS" WHERE "ID" % 2 = 0;
            """);
        await env.TargetSql("CREATE TABLE items (id bigint, name text)");
        var config = env.Config("""
            [ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "source_filter": "(\"NAME\" = 'it''s ) -- ; even')" } ]
            """, batchSize: 200);

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().Be(RunStatus.Completed, run.Error);
        (await env.TargetFingerprint("items")).Should().Be(await env.SourceFingerprint("EVEN_ITEMS"));
    }

    [Fact]
    public async Task A_column_mapping_to_a_column_the_target_lacks_fails_the_table_and_keeps_the_truncate_onstart_rows()
    {
        await using var env = await WithFilledTarget();
        var before = await env.TargetFingerprint("items");
        var config = env.Config(TruncatingTable(""", "column_mapping": { "NAME": "nmae" }"""));

        var run = (await env.RunAsync(config)).Runs.Single();

        run.Status.Should().NotBe(RunStatus.Completed);
        var table = run.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Failed);
        table.ErrorCode.Should().Be("SFPG2107", table.Error);
        table.Error.Should().Contain("NAME").And.Contain("nmae").And.Contain("did you mean 'name'");
        (await env.TargetFingerprint("items")).Should().Be(before);
    }

    [Fact]
    public async Task A_target_watermark_the_target_lacks_fails_the_table_before_anything_is_written()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "NAME" text, "UPDATED_AT" timestamp);
            INSERT INTO "PUBLIC"."ITEMS" SELECT g, 'item ' || g, timestamp '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 1000) g;
            """);
        await env.TargetSql("""
            CREATE TABLE items (id bigint PRIMARY KEY, name text, updated_at timestamp);
            INSERT INTO items SELECT g, 'kept ' || g, timestamp '2020-01-01' FROM generate_series(1, 50) g;
            """);
        var before = await env.TargetFingerprint("items");
        var config = env.Config("""
            [ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"],
                "uniqueness_columns": ["id"], "source_watermark": "UPDATED_AT", "target_watermark": "modified_at" } ]
            """);

        var run = (await env.RunAsync(config)).Runs.Single();

        var table = run.Tables.Single();
        table.Status.Should().Be(ProgressStatus.Failed);
        table.ErrorCode.Should().Be("SFPG2108", table.Error);
        table.Error.Should().Contain("modified_at").And.Contain("updated_at");
        (await env.TargetFingerprint("items")).Should().Be(before);
    }

    [Fact]
    public void Two_targets_equal_in_their_first_63_bytes_are_refused_naming_both_paths()
    {
        var stem = new string('t', 63);
        var json = $$"""
            { "snowflake": { "account": "a", "user": "u", "token": "t" }, "postgres": { "host": "h", "database": "d" },
              "sources": [ { "source_name": "s", "source_sf_database": "DB", "source_sf_schema": "S", "target_pg_schema": "public",
                "tables": [ { "source": "A", "target": "{{stem}}_a", "truncate_onstart": true },
                            { "source": "B", "target": "{{stem}}_b", "truncate_onstart": true } ] } ] }
            """;

        var result = ConfigLoader.Parse(json);

        var collision = result.Findings.Should().ContainSingle(f => f.Code == "SFPG1036").Subject;
        collision.Path.Should().Be("sources[0].tables[1].target");
        collision.Message.Should().Contain("sources[0].tables[0].target");
    }
}
