using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Tests.Unit.Postgres;

public sealed class TargetChunkRangeTests
{
    private static readonly Func<string, TargetColumn?> Columns = TargetChunkRange.ColumnResolver(
    [
        ("ID", new TargetColumn("order id", "int8", "bigint", false, true)),
        ("CODE", new TargetColumn("code", "text", "text", false, true)),
        ("AT", new TargetColumn("at", "timestamp", "timestamp without time zone", false, true)),
    ]);

    private static TargetChunkRange For(ChunkStrategy strategy, ChunkBounds bounds, params ChunkBounds[] table) =>
        TargetChunkRange.For("public.orders", 3, strategy.ToName(), ChunkBoundsJson.Write(bounds), table.Select(ChunkBoundsJson.Write), Columns);

    [Fact]
    public void A_key_range_names_the_target_column_and_binds_its_bounds_as_parameters()
    {
        var range = For(ChunkStrategy.KeyRange, new ChunkBounds("ID", "100", "200"));

        range.Predicate.Should().Be("(\"order id\" >= @chunk_range_0 AND \"order id\" < @chunk_range_1)");
        range.Values.Should().Equal("100", "200");
    }

    [Fact]
    public void Text_keys_compare_byte_wise_and_a_quote_in_a_value_stays_a_value()
    {
        var range = For(ChunkStrategy.KeyRange, new ChunkBounds("CODE", null, "it's"));

        range.Predicate.Should().Be("((\"code\" COLLATE \"C\") < @chunk_range_0)");
        range.Values.Should().Equal("it's");
    }

    [Fact]
    public void A_day_sub_chunk_open_below_takes_the_rows_whose_secondary_key_is_null()
    {
        var range = For(
            ChunkStrategy.DateRangeWithSubChunks,
            new ChunkBounds("AT", "2024-01-02", "2024-01-03", Day: "2024-01-02") { SubColumn = "ID", SubUpper = "50" });

        range.Predicate.Should().Be(
            "((CAST(\"at\" AS date) >= @chunk_range_0 AND CAST(\"at\" AS date) < @chunk_range_1) AND (\"order id\" IS NULL OR (\"order id\" < @chunk_range_2)))");
        range.Values.Should().Equal("2024-01-02", "2024-01-03", "50");
    }

    [Fact]
    public void The_remainder_of_grouped_values_is_null_or_none_of_the_other_chunks_values()
    {
        var first = new ChunkBounds("CODE", Values: ["a", "b"]);
        var second = new ChunkBounds("CODE", Values: ["c"]);
        var remainder = new ChunkBounds("CODE", IsRemainder: true);

        var range = For(ChunkStrategy.GroupedValues, remainder, first, second, remainder);

        range.Predicate.Should().Be(
            "((\"code\" COLLATE \"C\") IS NULL OR (\"code\" COLLATE \"C\") NOT IN (@chunk_range_0, @chunk_range_1, @chunk_range_2))");
        range.Values.Should().Equal("a", "b", "c");
    }

    [Fact]
    public void Null_keys_and_a_single_chunk_need_no_values()
    {
        For(ChunkStrategy.KeyRange, new ChunkBounds("ID", IsNullKeys: true)).Predicate.Should().Be("(\"order id\" IS NULL)");
        For(ChunkStrategy.SingleChunk, new ChunkBounds(null)).Predicate.Should().Be("TRUE");
    }

    [Fact]
    public void An_offset_page_has_no_range_on_the_target()
    {
        var offset = () => For(ChunkStrategy.Offset, new ChunkBounds(null, Offset: 1000, Limit: 1000) { OrderBy = "\"ID\" NULLS LAST" });

        offset.Should().Throw<SfPgException>().Which.Error.Should().Be(ErrorCatalog.ChunkReloadRangeUnavailable);
    }

    [Fact]
    public void A_key_that_is_not_copied_to_the_target_is_named_in_the_error()
    {
        var unmapped = () => For(ChunkStrategy.KeyRange, new ChunkBounds("REGION", "a", null));

        var error = unmapped.Should().Throw<SfPgException>().Which;
        error.Error.Should().Be(ErrorCatalog.ChunkRangeNotOnTarget);
        error.Message.Should().Contain("public.orders").And.Contain("chunk 3").And.Contain("\"REGION\"");
    }
}
