using System.Numerics;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Snowflake;

public sealed class ExactDecimalTests
{
    [Theory]
    [InlineData("99999999999999999999999999999999999999", "99999999999999999999999999999999999999", 38, 0)]
    [InlineData("-9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999", 38, 10)]
    [InlineData("12.5000", "12.5", 3, 1)]
    [InlineData("-0.0000000001", "-0.0000000001", 1, 10)]
    [InlineData("0.000", "0", 1, 0)]
    [InlineData("1E+30", "1000000000000000000000000000000", 31, 0)]
    [InlineData("1.5e-3", "0.0015", 2, 4)]
    [InlineData("+7", "7", 1, 0)]
    public void Parses_digit_for_digit_without_trailing_zeros(string text, string printed, int precision, int scale)
    {
        var value = ExactDecimal.Parse(text);

        value.ToString().Should().Be(printed);
        value.Precision.Should().Be(precision);
        value.Scale.Should().Be(scale);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    [InlineData("NaN")]
    [InlineData("1e")]
    public void Rejects_what_is_not_a_plain_number(string text)
    {
        ExactDecimal.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void Carries_itself_as_decimal_when_exact_else_big_integer_or_itself()
    {
        ExactDecimal.Parse("1234567890123456789012345678").ToClrValue().Should().Be(1234567890123456789012345678m);
        ExactDecimal.Parse("-0.5").ToClrValue().Should().Be(-0.5m);
        ExactDecimal.Parse("-99999999999999999999999999999999999999").ToClrValue()
            .Should().Be(BigInteger.Parse("-99999999999999999999999999999999999999"));
        ExactDecimal.Parse("1234567890123456789012345678.1234567891").ToClrValue().Should().BeOfType<ExactDecimal>();
    }

    [Theory]
    [InlineData("12345.675", 2, "12345.68")]
    [InlineData("-0.005", 2, "-0.01")]
    [InlineData("99999999.994", 2, "99999999.99")]
    [InlineData("9.995", 2, "10")]
    [InlineData("1.2", 3, "1.2")]
    public void Rounds_half_away_from_zero_as_postgresql_numeric_does(string text, int scale, string rounded)
    {
        ExactDecimal.Parse(text).Round(scale).ToString().Should().Be(rounded);
    }

    [Fact]
    public void Equal_numbers_are_equal_values()
    {
        ExactDecimal.Parse("1.10").Should().Be(ExactDecimal.Parse("1.1"));
        (ExactDecimal.Parse("1.10") == ExactDecimal.Parse("1.1")).Should().BeTrue();
        ExactDecimal.Parse("1.1").GetHashCode().Should().Be(ExactDecimal.Parse("1.100").GetHashCode());
    }
}
