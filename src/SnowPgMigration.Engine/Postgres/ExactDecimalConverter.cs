#pragma warning disable NPG9001 // Npgsql's converter API is marked experimental; it is the only way to write numeric beyond decimal.
using System.Globalization;
using System.Numerics;
using Npgsql.Internal;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Writes an <see cref="ExactDecimal"/> in PostgreSQL's binary numeric format (base-10000 digit
/// groups, a weight, a sign and a display scale), so NUMBER(38,s) values that <see cref="decimal"/>
/// cannot hold reach binary COPY digit for digit. Npgsql itself writes numeric only from decimal,
/// the integer types, double and BigInteger (scale 0).
/// </summary>
internal sealed class ExactDecimalConverter : PgBufferedConverter<ExactDecimal>
{
    // Header (4 x int16) plus groups of 4 digits; 64 groups cover 256 digits, far beyond NUMBER(38,s).
    private const int MaxGroups = 64;
    private const short Positive = 0x0000;
    private const short Negative = 0x4000;

    public ExactDecimalConverter()
        : base(customDbNullPredicate: false)
    {
    }

    public override bool CanConvert(DataFormat format, out BufferRequirements bufferRequirements)
    {
        bufferRequirements = BufferRequirements.Create(Size.CreateUpperBound(sizeof(short) * (4 + MaxGroups)));
        return format is DataFormat.Binary;
    }

    public override Size GetSize(SizeContext context, ExactDecimal value, ref object? writeState) =>
        sizeof(short) * (4 + Groups(value, out _).Count);

    protected override void WriteCore(PgWriter writer, ExactDecimal value)
    {
        var groups = Groups(value, out var weight);
        writer.WriteInt16((short)groups.Count);
        writer.WriteInt16(weight);
        writer.WriteInt16(value.Unscaled.Sign < 0 ? Negative : Positive);
        writer.WriteInt16((short)value.Scale);
        foreach (var group in groups)
        {
            writer.WriteInt16(group);
        }
    }

    protected override ExactDecimal ReadCore(PgReader reader)
    {
        var count = reader.ReadInt16();
        var weight = reader.ReadInt16();
        var sign = reader.ReadInt16();
        reader.ReadInt16(); // display scale: trailing zeros carry no value
        var unscaled = BigInteger.Zero;
        for (var i = 0; i < count; i++)
        {
            unscaled = (unscaled * 10000) + reader.ReadInt16();
        }

        // The last group read has weight (weight - count + 1): a power of 10000 that may be negative.
        var exponent = 4 * (weight - count + 1);
        var text = (sign == Negative ? "-" : string.Empty) + unscaled.ToString(CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        return ExactDecimal.Parse(text);
    }

    /// <summary>The base-10000 groups without leading or trailing zero groups, and the weight of the first.</summary>
    private static List<short> Groups(ExactDecimal value, out short weight)
    {
        var digits = BigInteger.Abs(value.Unscaled).ToString(CultureInfo.InvariantCulture);
        // Pad the fraction to whole groups on the right and the integer part to whole groups on the left.
        var fractionGroups = (value.Scale + 3) / 4;
        digits += new string('0', (fractionGroups * 4) - value.Scale);
        var integerLength = digits.Length - (fractionGroups * 4);
        var padLeft = integerLength <= 0 ? -integerLength : (4 - (integerLength % 4)) % 4;
        digits = new string('0', padLeft) + digits;
        var integerGroups = (digits.Length / 4) - fractionGroups;

        var groups = new List<short>(digits.Length / 4);
        for (var i = 0; i < digits.Length; i += 4)
        {
            groups.Add(short.Parse(digits.AsSpan(i, 4), NumberStyles.None, CultureInfo.InvariantCulture));
        }

        var first = groups.FindIndex(g => g != 0);
        if (first < 0)
        {
            weight = 0;
            return [];
        }

        var last = groups.FindLastIndex(g => g != 0);
        if (last - first + 1 > MaxGroups)
        {
            throw new OverflowException($"{value} has more digits than numeric is written with here ({MaxGroups * 4}).");
        }

        weight = (short)(integerGroups - 1 - first);
        return groups.GetRange(first, last - first + 1);
    }
}
