using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

public sealed class DialectTests
{
    private static readonly SnowflakeTableName Orders = new("SALES", "PUBLIC", "Order Lines");

    [Theory]
    [InlineData("orders", "\"orders\"")]
    [InlineData("Payer Id", "\"Payer Id\"")]
    [InlineData("a\"b", "\"a\"\"b\"")]
    public void Quote_keeps_the_name_exactly_and_doubles_quotes(string name, string expected)
    {
        SnowflakeIdentifier.Quote(name).Should().Be(expected);
    }

    [Fact]
    public void Quote_qualifies_part_by_part_and_refuses_empty_names()
    {
        SnowflakeIdentifier.Quote("DB", "Sch", "t\"x").Should().Be("\"DB\".\"Sch\".\"t\"\"x\"");
        Orders.Quoted.Should().Be("\"SALES\".\"PUBLIC\".\"Order Lines\"");
        var empty = () => SnowflakeIdentifier.Quote("");
        empty.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("orders", "ORDERS")]
    [InlineData("Order_Lines$2", "ORDER_LINES$2")]
    [InlineData("_tmp", "_TMP")]
    [InlineData("\"Orders\"", "Orders")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData(" orders ", "ORDERS")]
    [InlineData("Payer Id", "Payer Id")]
    [InlineData("2024_sales", "2024_sales")]
    [InlineData("my-table", "my-table")]
    public void Normalize_upper_cases_unquoted_names_and_keeps_quoted_ones(string written, string stored)
    {
        SnowflakeIdentifier.Normalize(written).Should().Be(stored);
    }

    [Fact]
    public void Table_names_from_a_config_normalise_each_part()
    {
        SnowflakeTableName.FromWritten("sales", "\"Raw\"", "orders").Should().Be(new SnowflakeTableName("SALES", "Raw", "ORDERS"));
    }

    [Fact]
    public void Describe_is_a_zero_row_select()
    {
        SnowflakeSql.Describe(Orders).Should().Be("SELECT * FROM \"SALES\".\"PUBLIC\".\"Order Lines\" LIMIT 0");
    }

    [Fact]
    public void Count_wraps_the_filter_and_the_chunk_predicate_in_parentheses()
    {
        SnowflakeSql.Count(Orders).Should().Be("SELECT COUNT(*) AS \"ROW_COUNT\" FROM \"SALES\".\"PUBLIC\".\"Order Lines\"");
        SnowflakeSql.Count(Orders, "status = 'A' OR status = 'B'", "\"ID\" >= 10")
            .Should().Be("SELECT COUNT(*) AS \"ROW_COUNT\" FROM \"SALES\".\"PUBLIC\".\"Order Lines\" WHERE (\"ID\" >= 10) AND (status = 'A' OR status = 'B')");
    }

    [Fact]
    public void Literals_read_the_same_in_snowflake_and_postgresql()
    {
        SnowflakeSql.Literal(null).Should().Be("NULL");
        SnowflakeSql.Literal(42L).Should().Be("42");
        SnowflakeSql.Literal(-7).Should().Be("-7");
        SnowflakeSql.Literal(12.5000m).Should().Be("12.5000");
        SnowflakeSql.Literal(System.Numerics.BigInteger.Pow(10, 37)).Should().Be("1" + new string('0', 37));
        SnowflakeSql.Literal(1.5d).Should().Be("CAST('1.5' AS DOUBLE PRECISION)");
        SnowflakeSql.Literal(true).Should().Be("TRUE");
        SnowflakeSql.Literal("O'Brien").Should().Be("'O''Brien'");
        SnowflakeSql.Literal("C:\\temp").Should().Be("'C:' || CHR(92) || 'temp'");
        SnowflakeSql.Literal(new DateOnly(1970, 1, 1)).Should().Be("CAST('1970-01-01' AS DATE)");
        SnowflakeSql.Literal(new TimeOnly(12, 34, 56, 789)).Should().Be("CAST('12:34:56.7890000' AS TIME)");
        SnowflakeSql.Literal(new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Unspecified))
            .Should().Be("CAST('9999-12-31 23:59:59.0000000' AS TIMESTAMP_NTZ)");
        SnowflakeSql.Literal(new DateTime(2026, 10, 9, 5, 34, 56, DateTimeKind.Utc))
            .Should().Be("CAST('2026-10-09 05:34:56.0000000 +00:00' AS TIMESTAMP_TZ)");
        SnowflakeSql.Literal(new DateTimeOffset(2026, 10, 9, 12, 34, 56, TimeSpan.FromHours(7)))
            .Should().Be("CAST('2026-10-09 12:34:56.0000000 +07:00' AS TIMESTAMP_TZ)");
        SnowflakeSql.Literal(Engine.Snowflake.ExactDecimal.Parse("-9999999999999999999999999999.9999999999"))
            .Should().Be("-9999999999999999999999999999.9999999999");
        SnowflakeSql.Literal(Guid.Parse("f549a3c6-b4ed-4418-a82c-87a203557232")).Should().Be("'f549a3c6-b4ed-4418-a82c-87a203557232'");
        var binary = () => SnowflakeSql.Literal(new byte[] { 1 });
        binary.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Keyed_select_orders_by_every_key_with_nulls_last()
    {
        SnowflakeSql.OrderBy(["A", "b"]).Should().Be("ORDER BY \"A\" ASC NULLS LAST, \"b\" ASC NULLS LAST");
        SnowflakeSql.Select(Orders, ["ID", "Amount"], "\"ID\" >= 100 AND \"ID\" < 200", "region = 'EU'", ["ID"]).Should().Be(
            "SELECT \"ID\", \"Amount\" FROM \"SALES\".\"PUBLIC\".\"Order Lines\" " +
            "WHERE (\"ID\" >= 100 AND \"ID\" < 200) AND (region = 'EU') ORDER BY \"ID\" ASC NULLS LAST");
        SnowflakeSql.Select(Orders, []).Should().Be("SELECT * FROM \"SALES\".\"PUBLIC\".\"Order Lines\"");
        var noKeys = () => SnowflakeSql.OrderBy([]);
        noKeys.Should().Throw<ArgumentException>();
    }
}
