using System.Numerics;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Tests.Unit.Postgres;

/// <summary>Narrower targets: reported by declared type at planning, refused per value unless lossy is allowed.</summary>
public sealed class NarrowingTests
{
    private static TargetColumn Target(string typeName, string displayType) => new("c", typeName, displayType, false, true);

    private static SnowflakeColumn Source(string type, int? precision = null, int? scale = null, long? length = null) => new()
    {
        Ordinal = 0, Name = "C", Type = SnowflakeColumn.ParseType(type), TypeName = type, Precision = precision, Scale = scale, Length = length,
    };

    [Theory]
    [InlineData("fixed", 38, 3, null, "numeric", "numeric(10,2)", "keeps 2 of 3 fraction digits")]
    [InlineData("real", null, null, null, "float4", "real", "real keeps a single-precision float, FLOAT is double precision")]
    [InlineData("text", null, null, 40L, "varchar", "character varying(10)", "holds 10 of up to 40 characters")]
    [InlineData("fixed", 10, 2, null, "int8", "bigint", "drops the fraction digits")]
    [InlineData("fixed", 38, 0, null, "float8", "double precision", "keeps about 15 of 38 significant digits")]
    [InlineData("real", null, null, null, "numeric", "numeric(12,4)", "numeric(p,s) rounds double-precision values")]
    public void A_narrower_declared_type_is_reported(string type, int? precision, int? scale, long? length, string target, string display, string reason)
    {
        TypeNarrowing.Reason(Source(type, precision, scale, length), Target(target, display)).Should().Be(reason);
    }

    [Theory]
    [InlineData("fixed", 38, 0, null, "int8", "bigint")] // Snowflake declares every integer NUMBER(38,0); overflow fails per value
    [InlineData("fixed", 38, 3, null, "numeric", "numeric(10,3)")]
    [InlineData("fixed", 38, 10, null, "numeric", "numeric")]
    [InlineData("real", null, null, null, "float8", "double precision")]
    [InlineData("text", null, null, 16777216L, "varchar", "character varying(10)")] // VARCHAR without a declared length
    [InlineData("text", null, null, 10L, "varchar", "character varying(10)")]
    [InlineData("text", null, null, 40L, "text", "text")]
    public void A_type_that_holds_the_source_is_not(string type, int? precision, int? scale, long? length, string target, string display)
    {
        TypeNarrowing.Reason(Source(type, precision, scale, length), Target(target, display)).Should().BeNull();
    }

    [Fact]
    public void Planning_refuses_every_narrowed_column_at_once_naming_table_source_and_target_types()
    {
        var sources = new[] { Source("fixed", 38, 3) with { Name = "AMOUNT" }, Source("real") with { Name = "R" } };
        var targets = new[] { new TargetColumn("amount", "numeric", "numeric(10,2)", false, true), new TargetColumn("r", "float4", "real", false, true) };
        var pairs = new List<(string, int, string)> { ("AMOUNT", 0, "amount"), ("R", 1, "r") };

        var refuse = () => TypeNarrowing.Check("public.orders", sources, targets, pairs, allowLossy: false);

        refuse.Should().Throw<SfPgException>().Where(e => e.Code == "SFPG2110")
            .WithMessage("*public.orders*\"amount\": NUMBER(38,3) -> numeric(10,2)*\"r\": FLOAT -> real*");
        TypeNarrowing.Check("public.orders", sources, targets, pairs, allowLossy: true).Should().HaveCount(2);
    }

    [Fact]
    public void Numeric_keeps_every_digit_and_refuses_digits_its_scale_would_round()
    {
        var wide = ColumnConversion.For(Target("numeric", "numeric(38,10)"))!;
        wide.Convert(ExactDecimal.Parse("9999999999999999999999999999.9999999999")).Should().Be(ExactDecimal.Parse("9999999999999999999999999999.9999999999"));
        wide.Convert("-12.5").Should().Be(-12.5m);
        wide.Convert(0.1d).Should().Be(0.1m, "a double goes by its shortest round-trip text");

        var narrow = ColumnConversion.For(Target("numeric", "numeric(10,2)"))!;
        narrow.Convert(12.34m).Should().Be(12.34m);
        var rounding = () => narrow.Convert(12.345m);
        rounding.Should().Throw<ValueNarrowingException>().WithMessage("*12.345*numeric(10,2)*SFPG2111*");
        var overflowing = () => narrow.Convert(123456789m);
        overflowing.Should().Throw<ValueNarrowingException>().WithMessage("*123456789*8*");

        var lossy = ColumnConversion.For(Target("numeric", "numeric(10,2)"), allowLossy: true)!;
        lossy.Convert(12.345m).Should().Be(12.35m);
        lossy.Convert(-0.005m).Should().Be(-0.01m);
        var stillOverflowing = () => lossy.Convert(BigInteger.Pow(10, 9));
        stillOverflowing.Should().Throw<ValueNarrowingException>();
    }

    [Fact]
    public void Real_refuses_a_double_it_cannot_hold_and_varchar_longer_text()
    {
        var real = ColumnConversion.For(Target("float4", "real"))!;
        real.Convert(2.5d).Should().Be(2.5f);
        real.Convert(double.NaN).Should().Be(float.NaN);
        var inexact = () => real.Convert(0.1d);
        inexact.Should().Throw<ValueNarrowingException>();
        ColumnConversion.For(Target("float4", "real"), allowLossy: true)!.Convert(0.1d).Should().Be(0.1f);
        var outOfRange = () => ColumnConversion.For(Target("float4", "real"), allowLossy: true)!.Convert(1e300d);
        outOfRange.Should().Throw<ValueNarrowingException>();

        var text = ColumnConversion.For(Target("varchar", "character varying(5)"))!;
        text.Convert("héllo").Should().Be("héllo");
        text.Convert("😀😀😀😀😀").Should().Be("😀😀😀😀😀", "PostgreSQL counts characters, not UTF-16 units");
        var tooLong = () => text.Convert("abcdefgh");
        tooLong.Should().Throw<ValueNarrowingException>().WithMessage("*8 characters*5*");
        ColumnConversion.For(Target("varchar", "character varying(5)"), allowLossy: true)!.Convert("abcdefgh").Should().Be("abcde");
        ColumnConversion.For(Target("bpchar", "character(3)"))!.Convert("ab   ").Should().Be("ab ", "char(n) drops excess trailing blanks itself");
    }
}
