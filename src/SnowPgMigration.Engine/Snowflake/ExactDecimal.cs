using System.Globalization;
using System.Numerics;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// A decimal number kept digit for digit: an unscaled integer and a count of fraction digits.
/// NUMBER(38,s) holds more significant digits than <see cref="decimal"/> (28-29), so values beyond
/// it travel as this type; trailing fraction zeros are dropped, so equal numbers are equal values
/// and print alike.
/// </summary>
public readonly struct ExactDecimal : IEquatable<ExactDecimal>, IFormattable
{
    // decimal holds 28 significant digits exactly in every case (29 only below its maximum).
    private const int DecimalExactDigits = 28;

    private ExactDecimal(BigInteger unscaled, int scale)
    {
        while (scale > 0 && !unscaled.IsZero && unscaled % 10 == 0)
        {
            unscaled /= 10;
            scale--;
        }

        Unscaled = unscaled;
        Scale = unscaled.IsZero ? 0 : scale;
    }

    /// <summary>The digits without the decimal point, with the sign: 12.34 is 1234.</summary>
    public BigInteger Unscaled { get; }

    /// <summary>Digits after the decimal point (never trailing zeros).</summary>
    public int Scale { get; }

    /// <summary>Significant digits: 12.34 has 4, 0.001 has 1.</summary>
    public int Precision => Unscaled.IsZero ? 1 : BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture).Length;

    /// <summary>Digits before the decimal point, not counting a lone 0 (12.34 has 2, 0.5 has 0).</summary>
    public int IntegerDigits => Math.Max(0, Precision - Scale);

    public static ExactDecimal FromInteger(BigInteger value) => new(value, 0);

    /// <summary>Reads <c>[-+]digits[.digits][e[-+]digits]</c> exactly; throws <see cref="FormatException"/> on anything else.</summary>
    public static ExactDecimal Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text.ToString()}' is not a decimal number.");

    public static bool TryParse(ReadOnlySpan<char> text, out ExactDecimal value)
    {
        value = default;
        var exponent = 0;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return false;
            }

            text = text[..e];
        }

        var negative = text.Length > 0 && text[0] == '-';
        if (text.Length > 0 && text[0] is '-' or '+')
        {
            text = text[1..];
        }

        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if ((whole.IsEmpty && fraction.IsEmpty) || !AllDigits(whole) || !AllDigits(fraction))
        {
            return false;
        }

        Span<char> digits = whole.Length + fraction.Length <= 256 ? stackalloc char[whole.Length + fraction.Length] : new char[whole.Length + fraction.Length];
        whole.CopyTo(digits);
        fraction.CopyTo(digits[whole.Length..]);
        var unscaled = digits.IsEmpty ? BigInteger.Zero : BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var scale = fraction.Length - exponent;
        if (scale < 0)
        {
            unscaled *= BigInteger.Pow(10, -scale);
            scale = 0;
        }

        value = new ExactDecimal(negative ? -unscaled : unscaled, scale);
        return true;
    }

    /// <summary>The same number as a <see cref="decimal"/> when decimal holds it exactly.</summary>
    public bool TryToDecimal(out decimal value)
    {
        value = 0;
        if (Precision > DecimalExactDigits || Scale > DecimalExactDigits)
        {
            return false;
        }

        var magnitude = BigInteger.Abs(Unscaled);
        value = new decimal((int)(uint)(magnitude & uint.MaxValue), (int)(uint)((magnitude >> 32) & uint.MaxValue), (int)(uint)(magnitude >> 64), Unscaled.Sign < 0, (byte)Scale);
        return true;
    }

    /// <summary>
    /// The CLR value this number is best carried as: <see cref="decimal"/> when that is exact,
    /// otherwise <see cref="BigInteger"/> for a whole number and this type for a fraction.
    /// </summary>
    public object ToClrValue() => TryToDecimal(out var d) ? d : Scale == 0 ? Unscaled : this;

    /// <summary>Rounds half away from zero to <paramref name="scale"/> fraction digits, as PostgreSQL's numeric does.</summary>
    public ExactDecimal Round(int scale)
    {
        if (Scale <= scale)
        {
            return this;
        }

        var divisor = BigInteger.Pow(10, Scale - scale);
        var quotient = BigInteger.DivRem(Unscaled, divisor, out var remainder);
        if (BigInteger.Abs(remainder) * 2 >= divisor)
        {
            quotient += Unscaled.Sign;
        }

        return new ExactDecimal(quotient, scale);
    }

    /// <summary>Plain decimal text without exponent, e.g. <c>-0.0000000001</c>.</summary>
    public override string ToString()
    {
        var digits = BigInteger.Abs(Unscaled).ToString(CultureInfo.InvariantCulture);
        var sign = Unscaled.Sign < 0 ? "-" : string.Empty;
        if (Scale == 0)
        {
            return sign + digits;
        }

        digits = digits.PadLeft(Scale + 1, '0');
        return sign + digits[..^Scale] + "." + digits[^Scale..];
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool Equals(ExactDecimal other) => Scale == other.Scale && Unscaled == other.Unscaled;

    public override bool Equals(object? obj) => obj is ExactDecimal other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Unscaled, Scale);

    public static bool operator ==(ExactDecimal left, ExactDecimal right) => left.Equals(right);

    public static bool operator !=(ExactDecimal left, ExactDecimal right) => !left.Equals(right);

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
