using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;
using SnowPgMigration.Tests.Integration.Migration;

namespace SnowPgMigration.Tests.Integration.Verification;

/// <summary>The deep comparison counts missing, extra and changed rows exactly and names their keys.</summary>
public sealed class KeyedComparisonTests
{
    private const string KeyedTables = """
        [ { "source": "ITEMS", "target": "items", "chunking_columns": ["ID"], "chunking_column_types": ["int"], "uniqueness_columns": ["id"] } ]
        """;

    private const string ItemsSource = """
        CREATE TABLE "PUBLIC"."ITEMS" ("ID" bigint, "AMOUNT" numeric(38,10), "AT" timestamptz, "F" double precision, "CODE" text, "DOC" jsonb);
        INSERT INTO "PUBLIC"."ITEMS"
        SELECT g, 1234567890123456789012345678.0000000001 - g, timestamptz '2024-01-01 00:00:00.000001+00' + g * interval '1 minute 0.000007 second',
               g / 7.0, 'code-' || g, jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g))
        FROM generate_series(1, 2000) g;
        """;

    private const string ItemsTarget = "CREATE TABLE items (id bigint PRIMARY KEY, amount numeric(38,10), at timestamptz, f double precision, code text, doc jsonb)";

    [Fact]
    public async Task Deleted_changed_and_added_target_rows_are_counted_exactly_with_their_keys()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(ItemsSource);
        await env.TargetSql(ItemsTarget);
        var config = env.Config(KeyedTables);
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);
        (await env.TargetFingerprint("items")).Should().Be(await env.SourceFingerprint("ITEMS"));

        using var client = SnowflakeClient.Create(config.Snowflake);
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var table = await Resolve(client, target, config);
        (await new KeyedComparison(table).CompareTableAsync(CancellationToken.None)).IsEqual.Should().BeTrue("the target was just loaded whole");

        await env.TargetSql("""
            DELETE FROM items WHERE id = 10;
            UPDATE items SET amount = amount + 0.0000000001 WHERE id = 20;
            UPDATE items SET at = at + interval '1 microsecond' WHERE id = 30;
            INSERT INTO items VALUES (5000, 1, now(), 0.5, 'added', '{}');
            """);
        (await env.TargetFingerprint("items")).Should().NotBe(await env.SourceFingerprint("ITEMS"));

        var result = await new KeyedComparison(table).CompareTableAsync(CancellationToken.None);

        result.Key.Should().Be("id");
        result.Missing.Should().Be(1);
        result.Extra.Should().Be(1);
        result.Changed.Should().Be(2, "the 38-digit number's last digit and one microsecond of a timestamp both count");
        var range = result.Ranges.Single();
        range.MissingKeys.Should().Equal("id=10");
        range.ExtraKeys.Should().Equal("id=5000");
        range.ChangedKeys.Should().Equal("id=20", "id=30");
        range.SourceRows.Should().Be(2000);
        range.TargetRows.Should().Be(2000);
        result.RowsCompared.Should().Be(4000);
    }

    [Fact]
    public async Task Ranges_whose_counts_differ_are_bisected_down_to_small_ranges()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(ItemsSource);
        await env.TargetSql(ItemsTarget);
        var config = env.Config(KeyedTables);
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);
        await env.TargetSql("""
            DELETE FROM items WHERE id IN (77, 1500, 1501);
            INSERT INTO items SELECT g, 1, now(), 0.5, 'added', '{}' FROM generate_series(3001, 3004) g;
            """);

        using var client = SnowflakeClient.Create(config.Snowflake);
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var table = await Resolve(client, target, config);
        var result = await new KeyedComparison(table, new KeyedComparisonOptions { LeafRows = 100, CountsProveEqual = true }).CompareTableAsync(CancellationToken.None);

        result.Missing.Should().Be(3);
        result.Extra.Should().Be(4, "the target has more rows than the source, so it is the target that is cut at its median");
        result.Changed.Should().Be(0);
        result.Ranges.SelectMany(r => r.MissingKeys).Should().Equal("id=77", "id=1500", "id=1501");
        result.Ranges.SelectMany(r => r.ExtraKeys).Should().Equal("id=3001", "id=3002", "id=3003", "id=3004");
        result.Ranges.Should().OnlyContain(r => r.SourceRows <= 100, "only the small ranges whose counts differ are streamed");
        result.RowsCompared.Should().BeLessThan(600, "the equal parts of the table (4,000 rows on both sides) were proven equal by counts alone");
        foreach (var range in result.Ranges)
        {
            // Each reported range names the same rows on both sides.
            (await env.SourceScalar<long>($"SELECT count(*) FROM \"PUBLIC\".\"ITEMS\" WHERE {range.Predicate}")).Should().Be(range.SourceRows);
        }

        // Without trusting counts, ranges of equal counts are merged row by row too: the same exact answer.
        var exact = await new KeyedComparison(table, new KeyedComparisonOptions { LeafRows = 100 }).CompareTableAsync(CancellationToken.None);
        exact.Ranges.SelectMany(r => r.MissingKeys).Should().Equal("id=77", "id=1500", "id=1501");
        exact.Extra.Should().Be(4);
        exact.Changed.Should().Be(0);
    }

    [Fact]
    public async Task Chunk_ranges_rebuilt_from_their_bounds_compare_only_the_rows_of_each_chunk()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source(ItemsSource);
        await env.TargetSql(ItemsTarget);
        var config = env.Config(KeyedTables, batchSize: 500);
        var run = (await env.RunAsync(config)).Runs.Single();
        await env.TargetSql("DELETE FROM items WHERE id = 1234; UPDATE items SET code = 'changed' WHERE id = 1700");

        using var client = SnowflakeClient.Create(config.Snowflake);
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var table = await Resolve(client, target, config);
        var chunks = await new StatusStore(target).Chunks.ListChunksAsync(run.RunId, "items", CancellationToken.None);
        chunks.Should().HaveCountGreaterThan(2);
        var pairs = table.SourceColumns.Select((column, i) => (column, table.Conversions[i].Column)).ToList();
        var ranges = chunks.Select(chunk => KeyedRange.FromChunk(
            ChunkSourcePredicate.For(table.Config, chunk.ChunkId, chunk.Strategy, chunk.BoundsJson, chunks.Select(c => c.BoundsJson)),
            TargetChunkRange.For(table.Name, chunk.ChunkId, chunk.Strategy, chunk.BoundsJson, chunks.Select(c => c.BoundsJson), TargetChunkRange.ColumnResolver(pairs))))
            .ToList();

        var result = await new KeyedComparison(table).CompareAsync(ranges, CancellationToken.None);

        result.Ranges.Should().HaveCount(2, "two chunks differ; the others are merged and found equal");
        result.Ranges.SelectMany(r => r.MissingKeys).Should().Equal("id=1234");
        result.Ranges.SelectMany(r => r.ChangedKeys).Should().Equal("id=1700");
        result.Ranges.Should().OnlyContain(r => r.SourceRows < 2000);
    }

    [Fact]
    public async Task A_table_without_uniqueness_columns_is_compared_by_row_hash()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        await env.Source("""
            CREATE TABLE "PUBLIC"."LOG" ("N" int, "MSG" text, "AT" timestamp);
            INSERT INTO "PUBLIC"."LOG" SELECT g % 50, 'line ' || g, timestamp '2024-02-01' + g * interval '1 second' FROM generate_series(1, 500) g;
            INSERT INTO "PUBLIC"."LOG" VALUES (7, 'twice', timestamp '2024-03-01'), (7, 'twice', timestamp '2024-03-01');
            """);
        await env.TargetSql("CREATE TABLE log (n int, msg text, at timestamp)");
        var config = env.Config("""[ { "source": "LOG", "target": "log", "truncate_onstart": true } ]""");
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);
        (await env.TargetFingerprint("log")).Should().Be(await env.SourceFingerprint("LOG"));

        await env.TargetSql("""
            DELETE FROM log WHERE msg = 'line 3';
            UPDATE log SET at = at + interval '1 microsecond' WHERE msg = 'line 4';
            DELETE FROM log WHERE ctid = (SELECT min(ctid) FROM log WHERE msg = 'twice');
            INSERT INTO log VALUES (9, 'added', timestamp '2024-04-01');
            """);

        using var client = SnowflakeClient.Create(config.Snowflake);
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var result = await new KeyedComparison(await Resolve(client, target, config)).CompareTableAsync(CancellationToken.None);

        result.Key.Should().Be("row hash");
        result.Missing.Should().Be(3, "the deleted row, the changed row's source version and one of two equal rows");
        result.Extra.Should().Be(2, "the changed row's target version and the added row");
        result.Changed.Should().Be(0);
        var range = result.Ranges.Single();
        range.MissingKeys.Should().BeEquivalentTo("(3, 'line 3', 2024-02-01 00:00:03.000000)", "(4, 'line 4', 2024-02-01 00:00:04.000000)", "(7, 'twice', 2024-03-01 00:00:00.000000)");
        range.ExtraKeys.Should().BeEquivalentTo("(4, 'line 4', 2024-02-01 00:00:04.000001)", "(9, 'added', 2024-04-01 00:00:00.000000)");
    }

    [Fact]
    public async Task Keys_the_two_sides_order_differently_stop_the_comparison_instead_of_reporting_false_differences()
    {
        await using var env = await MigrationEnvironment.StartAsync();
        // Text on the source, a number on the target: '10' sorts before '9' on one side only.
        await env.Source("""
            CREATE TABLE "PUBLIC"."CODES" ("ID" text, "NAME" text);
            INSERT INTO "PUBLIC"."CODES" SELECT g::text, 'n' || g FROM generate_series(1, 20) g;
            """);
        await env.TargetSql("CREATE TABLE codes (id bigint PRIMARY KEY, name text)");
        var config = env.Config("""[ { "source": "CODES", "target": "codes", "uniqueness_columns": ["id"] } ]""");
        (await env.RunAsync(config)).Runs.Single().Status.Should().Be(RunStatus.Completed);

        using var client = SnowflakeClient.Create(config.Snowflake);
        await using var target = TargetConnection.CreateDataSource(env.TargetConnection);
        var comparing = async () => await new KeyedComparison(await Resolve(client, target, config)).CompareTableAsync(CancellationToken.None);

        (await comparing.Should().ThrowAsync<Engine.Errors.SfPgException>())
            .Which.Message.Should().StartWith("Table public.codes: the source returned key (2) after (19)").And.Contain("Nothing was changed");
    }

    internal static async Task<KeyedTable> Resolve(SnowflakeClient client, Npgsql.NpgsqlDataSource target, MigrationConfig config)
    {
        var source = config.Sources.Single();
        return await KeyedTable.ResolveAsync(
            new SnowflakeSource(client, source.SourceSfDatabase, source.SourceSfSchema, null, null), target, source, source.Tables.Single(), CancellationToken.None);
    }
}
