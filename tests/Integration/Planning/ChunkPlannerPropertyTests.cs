using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Integration.Planning;

/// <summary>
/// The coverage invariant over generated distributions: chunks partition the table exactly,
/// expected rows are exact, chunks stay within 1.1 x batch_size unless one key alone is larger,
/// and rows inserted after planning at any key still fall in exactly one chunk.
/// </summary>
public sealed class ChunkPlannerPropertyTests : IAsyncLifetime
{
    private string _db = "";

    public async Task InitializeAsync() => _db = await PostgresServer.CreateDatabaseAsync("plan");

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TablePlan Plan, PostgresSourceQuery Source)> PlanAsync(
        string table, string column, ChunkKeyFamily kind, int batchSize, string? scope = null,
        string[]? uniqueness = null, ChunkStrategy? forced = null, string? beforeSecondStatement = null)
    {
        var source = new PostgresSourceQuery(_db) { BeforeSecondStatement = beforeSecondStatement };
        var plan = await new ChunkPlanner(source).PlanAsync(
            new ChunkPlanRequest(new SnowflakeTableName(new NpgsqlConnectionStringBuilder(_db).Database!, "public", table), scope, [column], [kind], uniqueness ?? [], batchSize, forced),
            CancellationToken.None);
        return (plan, source);
    }

    private Task Sql(string sql) => PlanChecks.ExecuteAsync(_db, sql);

    private async Task AssertCoveredAfterInsertAsync(string table, TablePlan plan, string insert)
    {
        await Sql(insert);
        var (_, misplaced, _) = await PlanChecks.MeasureAsync(_db, $"\"public\".\"{table}\"", plan);
        misplaced.Should().Be(0, "rows inserted after planning must still fall in exactly one chunk");
    }

    [Fact]
    public async Task Uniform_ids()
    {
        await Sql("CREATE TABLE uniform (\"ID\" bigint, v text); INSERT INTO uniform SELECT g, 'x' FROM generate_series(1, 20000) g");
        var (plan, source) = await PlanAsync("uniform", "ID", ChunkKeyFamily.Numeric, 1000);

        plan.Strategy.Should().Be(ChunkStrategy.KeyRange);
        source.Statements.Should().HaveCount(2, "a dense integer key is profiled, then bucketed by equal ranges");
        source.Statements[1].Should().Contain("GROUP BY").And.NotContain("ROW_NUMBER", "equal ranges need no sort of every row");
        plan.Reason.Should().Contain("equal ranges");
        var perChunk = await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"uniform\"", plan, 1000);
        perChunk.Count(n => n > 0).Should().Be(20);

        await AssertCoveredAfterInsertAsync("uniform", plan,
            "INSERT INTO uniform VALUES (-5, 'below'), (0, 'zero'), (10500, 'dup'), (999999, 'above'), (NULL, 'null')");
    }

    [Fact]
    public async Task Seed_000_sparse_then_dense_ids_lose_nothing()
    {
        // Seed 000 at 1/100 scale: sparse IDs 1-1,000 and 1,001-1,000,000, then a dense block at 5,000,001-5,100,000.
        await Sql("""
            CREATE TABLE sparse ("ID" bigint);
            INSERT INTO sparse SELECT 1 + (g * 197) % 1000 FROM generate_series(1, 5) g;
            INSERT INTO sparse SELECT 1001 + (g::bigint * 19997) % 999000 FROM generate_series(1, 50) g;
            INSERT INTO sparse SELECT 5000001 + (g::bigint * 7919) % 100000 FROM generate_series(1, 84656) g;
            """);
        var (plan, source) = await PlanAsync("sparse", "ID", ChunkKeyFamily.Numeric, 250);

        source.Statements.Should().HaveCount(2, "a sparse key is profiled, then its quantiles read: never one statement per chunk");
        source.Statements[1].Should().Contain("ROW_NUMBER");
        plan.ExpectedRows.Should().Be(84711);
        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"sparse\"", plan, 250);
        await AssertCoveredAfterInsertAsync("sparse", plan,
            "INSERT INTO sparse VALUES (0), (1000), (3000000), (5099999), (5100001), (9223372036854775807), (NULL)");
    }

    [Fact]
    public async Task Clustered_ids_with_gaps()
    {
        await Sql("""
            CREATE TABLE clustered ("K" integer);
            INSERT INTO clustered SELECT c * 1000000 + g FROM generate_series(0, 4) c, generate_series(1, 3000) g;
            INSERT INTO clustered SELECT 77777777 FROM generate_series(1, 10);
            """);
        var (plan, _) = await PlanAsync("clustered", "K", ChunkKeyFamily.Numeric, 700);

        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"clustered\"", plan, 700);
        await AssertCoveredAfterInsertAsync("clustered", plan, "INSERT INTO clustered VALUES (500000), (2147483647), (-2147483648)");
    }

    [Fact]
    public async Task One_key_heavier_than_a_batch_stays_whole_and_the_rest_stay_bounded()
    {
        await Sql("""
            CREATE TABLE heavy ("K" bigint);
            INSERT INTO heavy SELECT g FROM generate_series(1, 5000) g;
            INSERT INTO heavy SELECT 2500 FROM generate_series(1, 2600);
            INSERT INTO heavy SELECT 4000 FROM generate_series(1, 450);
            """);
        var (plan, _) = await PlanAsync("heavy", "K", ChunkKeyFamily.Numeric, 500);

        var perChunk = await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"heavy\"", plan, 500, largestKeyRows: 2601);
        perChunk.Max().Should().BeGreaterThan(2600, "a key value is never split across chunks");
    }

    [Fact]
    public async Task Dense_ids_with_a_crowded_range_fall_back_to_quantiles_and_stay_bounded()
    {
        await Sql("""
            CREATE TABLE crowded ("ID" bigint);
            INSERT INTO crowded SELECT g FROM generate_series(1, 20000) g;
            INSERT INTO crowded SELECT 777 FROM generate_series(1, 3000);
            INSERT INTO crowded SELECT 15000 + g % 50 FROM generate_series(1, 900) g;
            """);
        var (plan, source) = await PlanAsync("crowded", "ID", ChunkKeyFamily.Numeric, 1000);

        source.Statements.Should().HaveCount(3, "an equal range over a batch sends planning to the quantiles");
        source.Statements[2].Should().Contain("ROW_NUMBER");
        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"crowded\"", plan, 1000, largestKeyRows: 3001);
        await AssertCoveredAfterInsertAsync("crowded", plan, "INSERT INTO crowded VALUES (0), (776), (778), (40000), (NULL)");
    }

    [Fact]
    public async Task Rows_arriving_between_the_profile_and_the_buckets_are_counted_and_covered()
    {
        await Sql("""
            CREATE TABLE arriving ("ID" bigint);
            INSERT INTO arriving SELECT CASE WHEN g % 10 = 0 THEN NULL ELSE g END FROM generate_series(1, 10000) g;
            """);
        var (plan, source) = await PlanAsync("arriving", "ID", ChunkKeyFamily.Numeric, 500,
            beforeSecondStatement: "INSERT INTO arriving VALUES (-70), (-1), (0), (5000), (10001), (25000), (NULL), (NULL)");

        source.Statements.Should().HaveCount(2);
        plan.Reason.Should().Contain("equal ranges");
        plan.Chunks[^1].Bounds.IsNullKeys.Should().BeTrue();
        // Expected rows come from the buckets' one statement, so they are exact for the table as it now is.
        var perChunk = await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"arriving\"", plan, 500, largestKeyRows: 1002);
        perChunk[^1].Should().Be(1002);
        await AssertCoveredAfterInsertAsync("arriving", plan, "INSERT INTO arriving VALUES (-1000000), (7777), (9223372036854775807), (NULL)");
    }

    [Fact]
    public async Task Null_keys_get_their_own_chunk()
    {
        await Sql("""
            CREATE TABLE nullable ("K" bigint);
            INSERT INTO nullable SELECT CASE WHEN g % 4 = 0 THEN NULL ELSE g END FROM generate_series(1, 4000) g;
            """);
        var (plan, _) = await PlanAsync("nullable", "K", ChunkKeyFamily.Numeric, 400);

        var perChunk = await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"nullable\"", plan, 1100);
        plan.Chunks[^1].Bounds.IsNullKeys.Should().BeTrue();
        perChunk[^1].Should().Be(1000);
    }

    [Fact]
    public async Task Negative_and_64_bit_extreme_keys()
    {
        await Sql("""
            CREATE TABLE extremes ("K" bigint);
            INSERT INTO extremes VALUES (-9223372036854775808), (9223372036854775807), (-1), (0), (1);
            INSERT INTO extremes SELECT g::bigint * 1000003000 FROM generate_series(-3000, 3000) g;
            """);
        var (plan, _) = await PlanAsync("extremes", "K", ChunkKeyFamily.Numeric, 300);

        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"extremes\"", plan, 300);
    }

    [Fact]
    public async Task Uuid_keys_as_text()
    {
        await Sql("""
            CREATE TABLE uuids ("Payer Id" text);
            INSERT INTO uuids SELECT md5(g::text)::uuid::text FROM generate_series(1, 6000) g;
            """);
        var (plan, _) = await PlanAsync("uuids", "Payer Id", ChunkKeyFamily.Text, 500);

        plan.Strategy.Should().Be(ChunkStrategy.KeyRange);
        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"uuids\"", plan, 500);
        await AssertCoveredAfterInsertAsync("uuids", plan,
            "INSERT INTO uuids VALUES ('00000000-0000-0000-0000-000000000000'), ('ffffffff-ffff-ffff-ffff-ffffffffffff'), (NULL)");
    }

    [Fact]
    public async Task Text_keys_with_quotes_backslashes_and_unicode()
    {
        await Sql("""
            CREATE TABLE texts ("Name" text);
            INSERT INTO texts SELECT chr(65 + g % 26) || E'\\' || '''' || g || 'ü' FROM generate_series(1, 3000) g;
            """);
        var (plan, _) = await PlanAsync("texts", "Name", ChunkKeyFamily.Text, 200);

        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"texts\"", plan, 200);
    }

    [Fact]
    public async Task One_date_holding_many_batches_is_split_by_the_uniqueness_key()
    {
        await Sql("""
            CREATE TABLE events ("Id" bigint, "Updated At" timestamp);
            INSERT INTO events SELECT g, timestamp '2024-01-01' + (g % 30) * interval '1 day' + g * interval '1 second'
              FROM generate_series(1, 3000) g;
            INSERT INTO events SELECT 100000 + g, timestamp '2024-01-15 08:00' + g * interval '1 millisecond'
              FROM generate_series(1, 5000) g;
            INSERT INTO events VALUES (999999, NULL);
            """);
        var (plan, source) = await PlanAsync("events", "Updated At", ChunkKeyFamily.Temporal, 400, uniqueness: ["Id"]);

        plan.Strategy.Should().Be(ChunkStrategy.DateRangeWithSubChunks);
        source.Statements.Should().HaveCount(2, "one day histogram and one sub-range query, whatever the number of days");
        plan.Chunks.Count(c => c.Strategy == ChunkStrategy.DateRangeWithSubChunks).Should().BeGreaterThanOrEqualTo(13);
        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"events\"", plan, 400);
        await AssertCoveredAfterInsertAsync("events", plan, """
            INSERT INTO events VALUES (1, '2023-06-01'), (2, '2024-01-15 23:59:59'), (NULL, '2024-01-15 12:00'),
              (3, '2030-01-01'), (4, '2024-01-15 00:00'), (5, NULL), (-7, '2024-01-15 10:00');
            """);
    }

    [Fact]
    public async Task Source_filter_reshapes_the_distribution()
    {
        await Sql("""
            CREATE TABLE filtered ("ID" bigint, "Is Active" boolean);
            INSERT INTO filtered SELECT g, (g % 10 = 0 OR g > 9000) FROM generate_series(1, 12000) g;
            """);
        var (plan, _) = await PlanAsync("filtered", "ID", ChunkKeyFamily.Numeric, 300, scope: "(\"Is Active\" = TRUE)");

        plan.ExpectedRows.Should().Be(900 + 3000 - 0);
        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"filtered\"", plan, 300);
    }

    [Fact]
    public async Task A_table_within_one_batch_is_one_chunk()
    {
        await Sql("CREATE TABLE small (\"ID\" int); INSERT INTO small SELECT g FROM generate_series(1, 99) g");
        var (plan, _) = await PlanAsync("small", "ID", ChunkKeyFamily.Numeric, 100);

        plan.Strategy.Should().Be(ChunkStrategy.SingleChunk);
        plan.Chunks.Should().ContainSingle().Which.Predicate.Should().Be(ChunkPredicates.All);
        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"small\"", plan, 100);
    }

    [Fact]
    public async Task An_empty_table_still_has_a_chunk_that_covers_everything()
    {
        await Sql("CREATE TABLE empty (\"ID\" int)");
        var (plan, _) = await PlanAsync("empty", "ID", ChunkKeyFamily.Numeric, 100);

        plan.ExpectedRows.Should().Be(0);
        await AssertCoveredAfterInsertAsync("empty", plan, "INSERT INTO empty VALUES (1), (NULL), (-1)");
    }

    [Fact]
    public async Task Grouped_values_have_a_remainder_chunk_for_new_values()
    {
        await Sql("""
            CREATE TABLE regions ("Region" text);
            INSERT INTO regions SELECT 'R' || (g % 40) FROM generate_series(1, 8000) g;
            INSERT INTO regions VALUES (NULL), (NULL);
            """);
        var (plan, _) = await PlanAsync("regions", "Region", ChunkKeyFamily.Text, 1000, forced: ChunkStrategy.GroupedValues);

        plan.Strategy.Should().Be(ChunkStrategy.GroupedValues);
        plan.Chunks[^1].Bounds.IsRemainder.Should().BeTrue();
        await PlanChecks.AssertPartitionsExactlyAsync(_db, "\"public\".\"regions\"", plan, 1000);
        await AssertCoveredAfterInsertAsync("regions", plan, "INSERT INTO regions VALUES ('R999'), ('new region'), (NULL)");
    }
}
