using SnowPgMigration.Emulator.Results;
using SnowPgMigration.Emulator.Statements;

namespace SnowPgMigration.Tests.Integration.Emulator;

/// <summary>The emulator's small SQL rewrite layer and its value encoders, as pure functions.</summary>
public sealed class EmulatorSqlTextTests
{
    [Fact]
    public void Split_ignores_semicolons_in_literals_identifiers_and_comments()
    {
        var statements = SqlText.Split("SELECT 'a;b' AS \"x;y\"; -- c;\nSELECT $$d;e$$ /* f; */;  ;");

        statements.Should().Equal("SELECT 'a;b' AS \"x;y\"", "-- c;\nSELECT $$d;e$$ /* f; */");
        SqlText.Split("SELECT 1; -- it's done\n/* and 'this' */").Should().Equal("SELECT 1");
    }

    [Fact]
    public void Rewrite_changes_code_but_never_literals()
    {
        var rewritten = SqlText.RewriteForPostgres("SELECT CURRENT_TIMESTAMP(), 'CURRENT_DATE()', SYSTEM$WAIT(2), ? , '?' FROM t WHERE a = ?", hasBindings: true);

        rewritten.Should().Be("SELECT CURRENT_TIMESTAMP, 'CURRENT_DATE()', (SELECT 'waited 2 seconds' FROM pg_sleep(2)), $1 , '?' FROM t WHERE a = $2");
        SqlText.RewriteForPostgres("SELECT a ? b", hasBindings: false).Should().Be("SELECT a ? b", "without bindings '?' is PostgreSQL's own operator");
    }

    [Fact]
    public void Snowflake_timestamp_types_become_postgresql_types_and_a_bare_timestamp_follows_the_mapping()
    {
        const string Sql = "SELECT CAST('2024-01-01 00:00:00' AS TIMESTAMP_NTZ), CAST('x' AS TIMESTAMP_TZ), \"TIMESTAMP_LTZ\", 'TIMESTAMP_NTZ', "
            + "CAST('2024-01-01' AS TIMESTAMP), my_timestamp_tz FROM t";

        SqlText.RewriteForPostgres(Sql, hasBindings: false).Should().Be(
            "SELECT CAST('2024-01-01 00:00:00' AS timestamp), CAST('x' AS timestamptz), \"TIMESTAMP_LTZ\", 'TIMESTAMP_NTZ', "
            + "CAST('2024-01-01' AS TIMESTAMP), my_timestamp_tz FROM t");
        SqlText.RewriteForPostgres("SELECT CAST('2024-01-01' AS TIMESTAMP)", hasBindings: false, "TIMESTAMP_LTZ")
            .Should().Be("SELECT CAST('2024-01-01' AS timestamptz)", "an account mapping TIMESTAMP to TIMESTAMP_LTZ makes a bare TIMESTAMP an instant");
    }

    [Theory]
    [InlineData("SELECT * FROM \"My\"\"Db\".\"S\".\"T\"", "My\"Db")]
    [InlineData("select x from snow_db . public . orders join other o on 1=1", "snow_db")]
    [InlineData("INSERT INTO \"DB\".\"S\".\"T\" VALUES (1)", "DB")]
    [InlineData("SELECT s.t.c FROM t", null)]
    [InlineData("SELECT 'FROM a.b.c' FROM t", null)]
    public void The_database_comes_from_the_first_three_part_table_name(string sql, string? database)
    {
        SqlText.FindDatabase(sql).Should().Be(database);
    }

    [Theory]
    [InlineData("1970-01-01", "0")]
    [InlineData("1900-01-01", "-25567")]
    [InlineData("2026-10-09", "20735")]
    [InlineData("9999-12-31", "2932896")]
    [InlineData("0001-01-01 BC", "-719528")]
    public void Dates_are_days_since_the_epoch(string pgText, string expected)
    {
        ValueEncoder.EncodeDate(pgText).Should().Be(expected);
    }

    [Theory]
    [InlineData("2026-10-09 12:34:56.123456", false, "1791549296.123456000")]
    [InlineData("1969-12-31 23:59:59.5", false, "-0.500000000")]
    [InlineData("2026-10-09 12:34:56.123456+07", true, "1791524096.123456000 1860")]
    [InlineData("2026-10-09 01:04:56-05:30", true, "1791527696.000000000 1110")]
    [InlineData("1970-01-01 00:00:00+00", true, "0.000000000 1440")]
    public void Timestamps_are_epoch_seconds_with_nine_digits_and_offsets_plus_1440(string pgText, bool withOffset, string expected)
    {
        ValueEncoder.EncodeTimestamp(pgText, withOffset).Should().Be(expected);
    }

    [Fact]
    public void Arrays_are_pretty_printed_with_undefined_for_sql_null()
    {
        PostgresArrayText.ToSnowflakeJson("{{1,2},{NULL,4}}", ValueKind.Fixed).Should().Be("[\n  [\n    1,\n    2\n  ],\n  [\n    undefined,\n    4\n  ]\n]");
        PostgresArrayText.ToSnowflakeJson("{\"a \\\"q\\\"\",NULL,\"NULL\"}", ValueKind.Text).Should().Be("[\n  \"a \\\"q\\\"\",\n  undefined,\n  \"NULL\"\n]");
        PostgresArrayText.ToSnowflakeJson("{t,f}", ValueKind.Boolean).Should().Be("[\n  true,\n  false\n]");
    }
}
