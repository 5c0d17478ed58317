using System.Numerics;
using FluentAssertions;
using SnowPgMigration.Engine.Verification;
using Xunit;

namespace SnowPgMigration.Tests.Unit.Verification;

public class RowChecksumTests
{
    private static string Of(params object?[][] rows)
    {
        var checksum = new RowChecksum();
        foreach (var row in rows)
        {
            checksum.AddRow(row);
        }

        return checksum.Value;
    }

    private static string OfRow(params object?[] row) => Of(row);

    private static string OfValue(object? value) => OfRow(1L, value, "x");

    [Fact]
    public void Rows_in_any_order_have_the_same_checksum()
    {
        object?[] a = [1L, "alpha", 12.50m, null];
        object?[] b = [2L, "beta", 0.1m, new DateOnly(2024, 2, 29)];
        object?[] c = [3L, null, -7m, true];

        Of(a, b, c).Should().Be(Of(c, a, b)).And.Be(Of(b, c, a));
        Of(a, b).Should().NotBe(Of(a, c));
    }

    [Fact]
    public void Checksums_of_disjoint_parts_add_up_to_the_whole()
    {
        object?[] a = [1L, "alpha"];
        object?[] b = [2L, "beta"];
        var first = new RowChecksum();
        first.AddRow(a);
        var second = new RowChecksum();
        second.AddRow(b);

        first.Add(second);

        first.Value.Should().Be(Of(b, a));
        first.Rows.Should().Be(2);
    }

    [Fact]
    public void The_value_is_the_same_in_every_process()
    {
        // Pinned: a change here invalidates every checksum already stored in a status database.
        OfRow([1L, "alpha", 12.50m, null, new DateTime(2024, 1, 2, 3, 4, 5), 2.5d, true]).Should().Be(
            OfRow([1L, "alpha", 12.50m, null, new DateTime(2024, 1, 2, 3, 4, 5), 2.5d, true]));
        Of().Should().Be("0000000000000000");
        OfRow([1L, "alpha", 12.50m, null, new DateTime(2024, 1, 2, 3, 4, 5), 2.5d, true]).Should().Be(PinnedRowChecksum);
    }

    private const string PinnedRowChecksum = "3021ac5163f16c31";

    [Theory]
    [InlineData("12.50", "12.5")]
    [InlineData("12.500000", "12.5")]
    [InlineData("-0.0100", "-0.01")]
    [InlineData("100", "100.00")]
    [InlineData("0", "0.000")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335.0")]
    public void A_decimal_hashes_alike_whatever_its_trailing_zeros(string left, string right)
    {
        OfValue(decimal.Parse(left, System.Globalization.CultureInfo.InvariantCulture))
            .Should().Be(OfValue(decimal.Parse(right, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_numeric_read_back_as_text_and_parsed_hashes_like_the_source_decimal()
    {
        var source = 12.50m;
        var readBack = decimal.Parse("12.50", System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);

        OfValue(source).Should().Be(OfValue(readBack));
        OfValue(12.50m).Should().NotBe(OfValue(12.51m));
        OfValue(12.5m).Should().NotBe(OfValue(-12.5m));
        OfValue(1.25m).Should().NotBe(OfValue(12.5m));
    }

    [Fact]
    public void Arrays_hash_by_their_elements_so_a_vector_changed_in_one_element_differs()
    {
        OfValue(new[] { 1.5f, -2.25f }).Should().NotBe(OfValue(new[] { 1.5f, -2.5f }));
        OfValue(new[] { 1, 2 }).Should().NotBe(OfValue(new[] { 2, 1 }));
        OfValue(new[] { 1, 2 }).Should().NotBe(OfValue(new[] { 1, 2, 0 }));
        OfValue(new[] { 1.5f, -2.25f }).Should().Be(OfValue(new[] { 1.5f, -2.25f }));
        OfValue(new[] { 1.5, 2.0 }).Should().Be(OfValue(new[] { 1.5f, 2f }), "a float widens to the same double");
        OfValue(new[] { 1L, 2L }).Should().Be(OfValue(new[] { 1, 2 }), "whole numbers hash alike whatever their width");
        OfValue(Array.Empty<int>()).Should().NotBe(OfValue(null));
    }

    [Fact]
    public void Whole_numbers_hash_alike_whatever_their_type()
    {
        var expected = OfValue(42L);

        OfValue(42).Should().Be(expected);
        OfValue((short)42).Should().Be(expected);
        OfValue(42m).Should().Be(expected);
        OfValue(42.000m).Should().Be(expected);
        OfValue(new BigInteger(42)).Should().Be(expected);
        OfValue(43L).Should().NotBe(expected);
        OfValue(-42L).Should().NotBe(expected);
    }

    [Fact]
    public void Integers_beyond_long_hash_alike_as_decimal_and_BigInteger()
    {
        var big = BigInteger.Parse("12345678901234567890123", System.Globalization.CultureInfo.InvariantCulture);

        OfValue((decimal)big).Should().Be(OfValue(big));
        OfValue(-(decimal)big).Should().Be(OfValue(-big));
        OfValue(big).Should().NotBe(OfValue(big + 1));
        OfValue((BigInteger)long.MaxValue).Should().Be(OfValue(long.MaxValue));
    }

    [Fact]
    public void A_time_of_day_hashes_alike_as_TimeSpan_and_TimeOnly()
    {
        var time = new TimeOnly(13, 45, 30, 123);

        OfValue(time).Should().Be(OfValue(time.ToTimeSpan()));
        OfValue(time).Should().NotBe(OfValue(time.Add(TimeSpan.FromTicks(1))));
    }

    [Fact]
    public void A_timestamp_hashes_by_its_ticks_whatever_its_kind()
    {
        var ticks = new DateTime(2024, 6, 30, 23, 59, 59, 999).Ticks + 1234;
        var expected = OfValue(new DateTime(ticks, DateTimeKind.Unspecified));

        OfValue(new DateTime(ticks, DateTimeKind.Utc)).Should().Be(expected);
        OfValue(new DateTime(ticks, DateTimeKind.Local)).Should().Be(expected);
        OfValue(new DateTimeOffset(ticks, TimeSpan.Zero)).Should().Be(expected);
        OfValue(new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(5))).Should().Be(expected);
        OfValue(new DateTime(ticks + 1, DateTimeKind.Utc)).Should().NotBe(expected);
    }

    [Fact]
    public void A_float4_hashes_like_the_same_double()
    {
        OfValue(1.5f).Should().Be(OfValue(1.5d));
        OfValue(double.NaN).Should().Be(OfValue(-double.NaN));
        OfValue(1.5d).Should().NotBe(OfValue(1.25d));
    }

    [Fact]
    public void Nulls_and_column_boundaries_are_part_of_the_row()
    {
        OfRow(["a", null]).Should().NotBe(OfRow([null, "a"]));
        OfRow(["ab", "c"]).Should().NotBe(OfRow(["a", "bc"]));
        OfRow(["", null]).Should().NotBe(OfRow([null, null]));
        OfRow([0L]).Should().NotBe(OfRow([false])).And.NotBe(OfRow([""])).And.NotBe(OfRow([null]));
        OfRow(["abcd"]).Should().NotBe(OfRow(["abcd\0"]));
        OfRow([new byte[] { 1, 2, 0 }]).Should().NotBe(OfRow([new byte[] { 1, 2 }]));
    }

    [Fact]
    public void Texts_of_every_length_hash_by_each_character()
    {
        for (var length = 1; length <= 17; length++)
        {
            var text = new string('a', length);
            var changed = text[..^1] + "b";
            OfValue(text).Should().NotBe(OfValue(changed), "text of length {0}", length);
        }

        OfValue("straße").Should().Be(OfValue(new string("straße".AsSpan())));
        OfValue(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).Should().NotBe(OfValue(Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3302")));
    }
}
