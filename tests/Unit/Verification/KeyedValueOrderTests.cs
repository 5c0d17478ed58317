using System.Numerics;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Tests.Unit.Verification;

/// <summary>The merge's key order is the order both databases sort keys in.</summary>
public sealed class KeyedValueOrderTests
{
    [Fact]
    public void Text_sorts_by_code_point_as_UTF_8_bytes_do()
    {
        // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD; UTF-8 bytes put it after.
        var keys = new[] { "\U0001F600", "\uFFFD", "eu", "EU", "Ägypten", "us", "e" };

        keys.Order(Comparer<string>.Create((a, b) => KeyedValueOrder.Compare(a, b))).Should()
            .Equal("EU", "e", "eu", "us", "Ägypten", "\uFFFD", "\U0001F600");
    }

    [Fact]
    public void Numbers_compare_by_value_whatever_type_carries_them()
    {
        KeyedValueOrder.Compare(2L, 10m).Should().BeNegative();
        KeyedValueOrder.Compare(12.50m, 12.5m).Should().Be(0);
        KeyedValueOrder.Compare(BigInteger.Parse("99999999999999999999999999999999999999"), 1L).Should().BePositive();
        KeyedValueOrder.Compare(ExactDecimal.Parse("1234567890123456789012345678.0000000001"), ExactDecimal.Parse("1234567890123456789012345678.0000000002"))
            .Should().BeNegative();
    }

    [Fact]
    public void Nulls_sort_last_and_NaN_above_every_number()
    {
        KeyedValueOrder.Compare(null, 1L).Should().BePositive();
        KeyedValueOrder.Compare(new object?[] { 1L, null }, new object?[] { 1L, "a" }).Should().BePositive();
        KeyedValueOrder.Compare(double.NaN, double.PositiveInfinity).Should().BePositive();
    }
}
