using System.Text;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>Rows parsed straight from a partition's UTF-8 bytes, one at a time.</summary>
public sealed class RowReaderTests
{
    private static SnowflakeColumn Column(string name, string type, int? precision = null, int? scale = null) => new()
    {
        Ordinal = 0, Name = name, Type = SnowflakeColumn.ParseType(type), TypeName = type, Precision = precision, Scale = scale,
    };

    private static SnowflakeRowReader Reader(string json, params SnowflakeColumn[] columns) => new(
        Encoding.UTF8.GetBytes(json),
        columns,
        columns.Select(SnowflakeValueDecoder.ForChars).ToArray(),
        columns.Select(SnowflakeValueDecoder.ForText).ToArray(),
        "01-test-handle");

    private static List<object?[]> ReadAll(SnowflakeRowReader reader)
    {
        var rows = new List<object?[]>();
        while (reader.ReadRow() is { } row)
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public void Every_kind_of_value_is_decoded_from_the_bytes_and_text_keeps_escapes_and_unicode()
    {
        var hex = string.Concat(Enumerable.Repeat("00FF", 50));
        var reader = Reader(
            "[[\"42\",\"12.50\",\"1.5e3\",\"true\",\"19782\",\"3600.5\",\"1700000000.123456789\",\"1700000000.5 1500\",\"zürich \\\"q\\\" \\u00e9\",\"" + hex + "\",\"[1,undefined]\"]," +
            "[null,null,null,null,null,null,null,null,null,null,null]]}",
            Column("I", "fixed", 38, 0), Column("D", "fixed", 10, 2), Column("R", "real"), Column("B", "boolean"), Column("DT", "date"),
            Column("T", "time", 0, 1), Column("TS", "timestamp_ntz", 0, 9), Column("TZ", "timestamp_tz", 0, 9), Column("S", "text"),
            Column("BIN", "binary"), Column("V", "variant"));

        var rows = ReadAll(reader);

        rows.Should().HaveCount(2);
        reader.RowsRead.Should().Be(2);
        var first = rows[0];
        first[0].Should().Be(42L);
        first[1].Should().BeOfType<decimal>().Which.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("12.50");
        first[2].Should().Be(1500d);
        first[3].Should().Be(true);
        first[4].Should().Be(new DateOnly(2024, 2, 29));
        first[5].Should().Be(new TimeOnly(1, 0, 0, 500));
        first[6].Should().Be(new DateTime(2023, 11, 14, 22, 13, 20, DateTimeKind.Unspecified).AddTicks(1234567));
        first[7].Should().Be(new DateTimeOffset(2023, 11, 14, 23, 13, 20, 500, TimeSpan.FromHours(1)));
        first[8].Should().Be("zürich \"q\" é");
        first[9].Should().BeEquivalentTo(Enumerable.Repeat(new byte[] { 0x00, 0xFF }, 50).SelectMany(b => b).ToArray());
        first[10].Should().Be("[1,null]");
        rows[1].Should().OnlyContain(value => value == null);
        reader.ReadRow().Should().BeNull();
    }

    [Fact]
    public void Escaped_characters_and_bare_json_numbers_decode_like_plain_text()
    {
        var reader = Reader("[[\"\\u0031\\u0032\",12,true,\"-0.5\"]]", Column("A", "fixed", 38, 0), Column("B", "fixed", 38, 0), Column("C", "boolean"), Column("D", "fixed", 3, 1));

        var row = ReadAll(reader).Should().ContainSingle().Subject;

        row.Should().Equal(12L, 12L, true, -0.5m);
    }

    [Theory]
    [InlineData("fixed", 10, 2, new[] { "12.50", "-12.50", "0.00", "-0.00", "0", "-0", ".5", "5.", "00012.3400", "9999999999999999999", "-9999999999999999.999",
        "0.0000000000000000000000000001", "0.00000000000000000000000000001", "99999999999999999999.5", "12345678901234567890123456789012.5" })]
    [InlineData("real", null, null, new[] { "1.5e3", "-0", "0.1", "1.7976931348623157e308", "4.9e-324", "NaN", "inf", "-inf", "Infinity", "-Infinity", "1E+2" })]
    [InlineData("date", null, null, new[] { "19782", "0", "-1", "-719162", "2932896", "-719163", "2932897" })]
    [InlineData("timestamp_ntz", 0, 9, new[] { "1700000000.123456789", "0", "-1.5", "-0.000000001", "1700000000", "253402300799.9999999", "-62135596800", "-62135596801", "253402300800" })]
    [InlineData("timestamp_ltz", 0, 9, new[] { "1700000000.5", "-86400.25", "1.00000001" })]
    public void Numbers_dates_and_timestamps_read_from_the_bytes_are_what_their_characters_decode_to(string type, int? precision, int? scale, string[] values)
    {
        var column = Column("C", type, precision, scale);
        var decodeChars = SnowflakeValueDecoder.For(column);
        foreach (var text in values)
        {
            object? expected;
            try
            {
                expected = decodeChars(text);
            }
            catch (FormatException)
            {
                expected = null;
            }
            catch (ArgumentException)
            {
                expected = null;
            }

            var read = () => Reader($"[[\"{text}\"]]}}", column).ReadRow()![0];
            if (expected is null)
            {
                read.Should().Throw<SfPgException>($"'{text}' is not a {type} value on either path");
                continue;
            }

            var value = read();
            value.Should().Be(expected, $"'{text}' decodes to the same {type} value from its bytes");
            if (expected is decimal number)
            {
                decimal.GetBits((decimal)value!).Should().Equal(decimal.GetBits(number), $"'{text}' keeps its scale and sign");
            }
        }
    }

    [Fact]
    public void An_empty_partition_has_no_rows()
    {
        ReadAll(Reader("[]", Column("A", "text"))).Should().BeEmpty();
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_values_is_an_error()
    {
        var reader = Reader("[[\"1\",\"2\"],[\"1\",\"2\",\"3\"]]", Column("A", "fixed", 38, 0), Column("B", "text"));

        reader.ReadRow().Should().Equal(1L, "2");
        var read = () => reader.ReadRow();

        read.Should().Throw<SnowflakeException>()
            .Which.Message.Should().Contain("3 values for 2 columns").And.Contain("01-test-handle");
    }

    [Fact]
    public void A_value_not_in_its_columns_encoding_names_the_column_and_the_text()
    {
        var reader = Reader("[[\"2024-01-01\"]]", Column("CREATED", "date"));

        var read = () => reader.ReadRow();

        var error = read.Should().Throw<SnowflakeException>().Which;
        error.Error.Should().Be(ErrorCatalog.SnowflakeResponseInvalid);
        error.Message.Should().Contain("CREATED").And.Contain("'2024-01-01'").And.Contain("DATE_OUTPUT_FORMAT");
    }

    [Theory]
    [InlineData("[[\"1\"],{\"a\":1}]")]
    [InlineData("[[\"1\"],[\"2\"")]
    [InlineData("[[[\"1\"]]]")]
    public void Rows_that_are_not_sql_api_json_are_an_invalid_response(string json)
    {
        var reader = Reader(json, Column("A", "fixed", 38, 0));

        var read = () => ReadAll(reader);

        read.Should().Throw<SnowflakeException>().Which.Error.Should().Be(ErrorCatalog.SnowflakeResponseInvalid);
    }
}
