using System.Globalization;
using System.Numerics;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

/// <summary>Wire encodings at their extremes, beyond what the recordings hold.</summary>
public sealed class ValueDecoderTests
{
    private static object Decode(string type, string text, int? precision = null, int? scale = null) =>
        SnowflakeValueDecoder.For(new SnowflakeColumn
        {
            Ordinal = 0, Name = "C", Type = SnowflakeColumn.ParseType(type), TypeName = type, Precision = precision, Scale = scale,
        })(text);

    [Theory]
    [InlineData("0", typeof(long))]
    [InlineData("-9223372036854775808", typeof(long))]
    [InlineData("9223372036854775807", typeof(long))]
    [InlineData("-9223372036854775809", typeof(decimal))]
    [InlineData("79228162514264337593543950335", typeof(decimal))]
    [InlineData("79228162514264337593543950336", typeof(BigInteger))]
    [InlineData("99999999999999999999999999999999999999", typeof(BigInteger))]
    [InlineData("-99999999999999999999999999999999999999", typeof(BigInteger))]
    public void Integers_are_long_then_decimal_then_big_integer_and_exact(string text, Type expected)
    {
        var value = Decode("fixed", text, 38, 0);

        value.Should().BeOfType(expected);
        Convert.ToString(value, CultureInfo.InvariantCulture).Should().Be(text);
    }

    [Theory]
    [InlineData("-12345678.91", 10, 2)]
    [InlineData("0.0000000001", 38, 10)]
    [InlineData("-0.5", 3, 1)]
    [InlineData("9999999999999999999999999.999", 28, 3)]
    public void Scaled_numbers_that_decimal_holds_are_exact_decimals(string text, int precision, int scale)
    {
        var value = Decode("FIXED", text, precision, scale).Should().BeOfType<decimal>().Subject;

        value.ToString(CultureInfo.InvariantCulture).Should().Be(text);
    }

    [Theory]
    [InlineData("9999999999999999999999999999.9999999999")]
    [InlineData("-0.12345678901234567890123456789012345678")]
    public void Scaled_numbers_beyond_decimal_are_exact_decimals_digit_for_digit(string text)
    {
        var value = Decode("fixed", text, 38, 10).Should().BeOfType<ExactDecimal>().Subject;

        value.ToString().Should().Be(text);
        value.Precision.Should().Be(38);
    }

    [Theory]
    [InlineData("2932896", 9999, 12, 31)]
    [InlineData("0", 1970, 1, 1)]
    [InlineData("-719162", 1, 1, 1)]
    public void Dates_are_days_since_1970(string text, int year, int month, int day)
    {
        Decode("date", text).Should().Be(new DateOnly(year, month, day));
    }

    [Fact]
    public void Times_and_timestamps_at_every_scale_and_sign()
    {
        Decode("time", "0", 0, 0).Should().Be(TimeOnly.MinValue);
        Decode("time", "86399.999999999", 0, 9).Should().Be(new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9999999)));
        Decode("time", "3600.5", 0, 1).Should().Be(new TimeOnly(1, 0, 0, 500));
        Decode("timestamp_ntz", "253402300799.999999900", 0, 9).Should().Be(DateTime.MaxValue);
        Decode("timestamp_ntz", "-1.500000000", 0, 9).Should().Be(new DateTime(1969, 12, 31, 23, 59, 58, 500));
        Decode("timestamp_ltz", "0", 0, 0).Should().Be(DateTime.UnixEpoch);
        var tz = Decode("timestamp_tz", "1707228330 1440", 0, 0).Should().BeOfType<DateTimeOffset>().Subject;
        tz.Should().Be(new DateTimeOffset(2024, 2, 6, 14, 5, 30, TimeSpan.Zero));
        tz.Offset.Should().Be(TimeSpan.Zero);
        var west = Decode("timestamp_tz", "0.000001 960", 0, 6).Should().BeOfType<DateTimeOffset>().Subject;
        west.Offset.Should().Be(TimeSpan.FromHours(-8));
        west.UtcTicks.Should().Be(DateTime.UnixEpoch.Ticks + 10);
        west.DateTime.Should().Be(new DateTime(1969, 12, 31, 16, 0, 0).AddTicks(10));
        Decode("timestamp_tz", "1791524096.123456789 2265", 0, 9).Should().BeOfType<DateTimeOffset>()
            .Which.Offset.Should().Be(new TimeSpan(13, 45, 0));
    }

    [Fact]
    public void Semi_structured_undefined_becomes_null_outside_strings_only()
    {
        Decode("array", "[\n  undefined,\n  \"undefined\",\n  \"a \\\"undefined\\\" b\",\n  {\n    \"undefined\": undefined\n  }\n]")
            .Should().Be("[\n  null,\n  \"undefined\",\n  \"a \\\"undefined\\\" b\",\n  {\n    \"undefined\": null\n  }\n]");
        Decode("variant", "null").Should().Be("null");
        Decode("object", "{}").Should().Be("{}");
    }

    [Fact]
    public void Booleans_binary_and_reals_read_every_spelling_the_api_uses()
    {
        Decode("boolean", "true").Should().Be(true);
        Decode("boolean", "FALSE").Should().Be(false);
        Decode("boolean", "1").Should().Be(true);
        Decode("boolean", "0").Should().Be(false);
        Decode("binary", "").Should().BeOfType<byte[]>().Which.Should().BeEmpty();
        Decode("binary", "00ff10").Should().BeOfType<byte[]>().Which.Should().Equal(0x00, 0xFF, 0x10);
        Decode("real", "-1.7976931348623157E308").Should().Be(double.MinValue);
        Decode("real", "4.9E-324").Should().Be(double.Epsilon);
        Decode("real", "Infinity").Should().Be(double.PositiveInfinity);
        Decode("text", "").Should().Be("");
        Decode("geography_of_the_future", "as sent").Should().Be("as sent");
    }

    [Theory]
    [InlineData("fixed", "12a")]
    [InlineData("boolean", "yes")]
    [InlineData("date", "09/10/2026")]
    [InlineData("time", "12:34:56")]
    [InlineData("timestamp_tz", "1791524096.123456789")]
    [InlineData("binary", "XYZ")]
    public void Text_in_another_encoding_is_rejected(string type, string text)
    {
        var decode = () => Decode(type, text, 38, 0);

        decode.Should().Throw<FormatException>();
    }
}
