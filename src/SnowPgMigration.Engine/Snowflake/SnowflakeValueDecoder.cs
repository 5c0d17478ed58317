using System.Globalization;
using System.Numerics;
using System.Text;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Turns the SQL API's wire text into .NET values, per <c>rowType</c>. The encodings are the
/// defaults (no <c>*_OUTPUT_FORMAT</c> parameter set); the type mapping is documented on
/// <see cref="SnowflakeColumn"/>.
/// </summary>
internal static class SnowflakeValueDecoder
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;

    // Day number of 1970-01-01: DATE values are days since the Unix epoch.
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    // decimal holds 28 significant digits exactly in every case (29 only below its maximum).
    private const int DecimalExactDigits = 28;

    /// <summary>The decoder of one column; it throws <see cref="FormatException"/> on text it cannot read.</summary>
    public static Func<string, object> For(SnowflakeColumn column) =>
        ForChars(column) is { } chars ? text => chars(text) : ForText(column);

    /// <summary>
    /// The decoder of a column whose value is not its text (numbers, dates, times, booleans,
    /// binary): it reads the wire characters from a span, so no string is made per value.
    /// Null for a column whose value is a string anyway; use <see cref="ForText"/> for it.
    /// </summary>
    public static SnowflakeCharsDecoder? ForChars(SnowflakeColumn column) => column.Type switch
    {
        SnowflakeDataType.Fixed when (column.Scale ?? 0) == 0 => DecodeInteger,
        SnowflakeDataType.Fixed => DecodeScaledNumber,
        SnowflakeDataType.Real => DecodeReal,
        SnowflakeDataType.Boolean => DecodeBoolean,
        SnowflakeDataType.Binary => DecodeBinary,
        SnowflakeDataType.Date => DecodeDate,
        SnowflakeDataType.Time => DecodeTime,
        SnowflakeDataType.TimestampNtz => DecodeTimestampNtz,
        SnowflakeDataType.TimestampLtz => DecodeTimestampLtz,
        SnowflakeDataType.TimestampTz => DecodeTimestampTz,
        _ => null,
    };

    /// <summary>The decoder of a column whose value is its text (text, semi-structured, and anything unknown).</summary>
    public static Func<string, object> ForText(SnowflakeColumn column) => column.Type switch
    {
        SnowflakeDataType.Variant or SnowflakeDataType.Object or SnowflakeDataType.Array => DecodeSemiStructured,
        _ => static text => text,
    };

    public static object DecodeInteger(ReadOnlySpan<char> text)
    {
        if (TryDecodeInt64(text, out var small))
        {
            return small;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var medium))
        {
            return medium;
        }

        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large))
        {
            return large;
        }

        throw new FormatException("not an integer");
    }

    /// <summary>An integer that fits a <see cref="long"/>; false for any other text (<see cref="DecodeInteger"/> decides what it is).</summary>
    public static bool TryDecodeInt64(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>The same, from the wire's UTF-8 bytes (digits are ASCII, so the same text parses the same).</summary>
    public static bool TryDecodeInt64(ReadOnlySpan<byte> utf8, out long value) =>
        long.TryParse(utf8, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static object DecodeScaledNumber(ReadOnlySpan<char> text)
    {
        if (TryDecodeDecimal(text, out var value))
        {
            return value;
        }

        if (!IsPlainDecimal(text, out _))
        {
            throw new FormatException("not a decimal number");
        }

        // Beyond decimal's exact precision, only the digits themselves are lossless.
        return ExactDecimal.Parse(text).ToClrValue();
    }

    /// <summary>A plain decimal number that <see cref="decimal"/> holds exactly; false for any other text.</summary>
    public static bool TryDecodeDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        if (!IsPlainDecimal(text, out var significantDigits) || significantDigits > DecimalExactDigits)
        {
            value = default;
            return false;
        }

        value = decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// The same from the wire's UTF-8 bytes, for a plain decimal of at most 19 digits (its scale kept, as
    /// <see cref="decimal.Parse(string)"/> keeps it); false for any other text, which the characters' path decides.
    /// </summary>
    public static bool TryDecodeDecimal(ReadOnlySpan<byte> utf8, out decimal value)
    {
        const int MostDigits = 19; // any 19 digits fit a ulong
        value = default;
        var negative = utf8.Length > 0 && utf8[0] == (byte)'-';
        ulong digits = 0;
        var count = 0;
        var scale = -1;
        for (var i = negative ? 1 : 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'.' && scale < 0)
            {
                scale = 0;
                continue;
            }

            var digit = (uint)(utf8[i] - '0');
            if (digit > 9 || ++count > MostDigits)
            {
                return false;
            }

            digits = (digits * 10) + digit;
            scale += scale >= 0 ? 1 : 0;
        }

        // A negative zero keeps decimal.Parse's own sign handling.
        if (count == 0 || (negative && digits == 0) || scale > DecimalExactDigits)
        {
            return false;
        }

        value = new decimal((int)digits, (int)(digits >> 32), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }

    public static object DecodeReal(ReadOnlySpan<char> text) => DecodeDouble(text);

    public static double DecodeDouble(ReadOnlySpan<char> text) => text switch
    {
        "NaN" or "nan" => double.NaN,
        "inf" or "Infinity" => double.PositiveInfinity,
        "-inf" or "-Infinity" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static object DecodeBoolean(ReadOnlySpan<char> text) => DecodeBool(text);

    public static bool DecodeBool(ReadOnlySpan<char> text)
    {
        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text is "1")
        {
            return true;
        }

        if (text.Equals("false", StringComparison.OrdinalIgnoreCase) || text is "0")
        {
            return false;
        }

        throw new FormatException("not a boolean");
    }

    public static object DecodeBinary(ReadOnlySpan<char> text) => Convert.FromHexString(text);

    public static object DecodeDate(ReadOnlySpan<char> text) => DecodeDateOnly(text);

    /// <summary>A DATE's day number (<see cref="DateOnly.DayNumber"/>) from the wire's UTF-8 bytes; false for any other text.</summary>
    public static bool TryDecodeDayNumber(ReadOnlySpan<byte> utf8, out int dayNumber)
    {
        dayNumber = 0;
        if (!int.TryParse(utf8, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days)
            || days < DateOnly.MinValue.DayNumber - EpochDayNumber || days > DateOnly.MaxValue.DayNumber - EpochDayNumber)
        {
            return false;
        }

        dayNumber = EpochDayNumber + days;
        return true;
    }

    /// <summary>A TIMESTAMP_NTZ's or TIMESTAMP_LTZ's ticks (<see cref="DecodeDateTime"/>) from the wire's UTF-8 bytes; false for any other text.</summary>
    public static bool TryDecodeDateTimeTicks(ReadOnlySpan<byte> utf8, out long ticks)
    {
        ticks = 0;
        if (!TryParseSecondsAsTicks(utf8, out var sinceEpoch)
            || sinceEpoch < -DateTime.UnixEpoch.Ticks || sinceEpoch > DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks)
        {
            return false;
        }

        ticks = DateTime.UnixEpoch.Ticks + sinceEpoch;
        return true;
    }

    public static DateOnly DecodeDateOnly(ReadOnlySpan<char> text)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var days))
        {
            throw new FormatException("not a day count since 1970-01-01 (was DATE_OUTPUT_FORMAT set?)");
        }

        return DateOnly.FromDayNumber(EpochDayNumber + days);
    }

    public static object DecodeTime(ReadOnlySpan<char> text) => new TimeOnly(ParseSecondsAsTicks(text));

    public static object DecodeTimestampNtz(ReadOnlySpan<char> text) => DecodeDateTime(text, DateTimeKind.Unspecified);

    public static object DecodeTimestampLtz(ReadOnlySpan<char> text) => DecodeDateTime(text, DateTimeKind.Utc);

    /// <summary>TIMESTAMP_NTZ (kind Unspecified, the wall clock) or TIMESTAMP_LTZ (kind Utc, the instant).</summary>
    public static DateTime DecodeDateTime(ReadOnlySpan<char> text, DateTimeKind kind) =>
        new(DateTime.UnixEpoch.Ticks + ParseSecondsAsTicks(text), kind);

    public static object DecodeTimestampTz(ReadOnlySpan<char> text) => DecodeDateTimeOffset(text);

    /// <summary><c>"&lt;epoch seconds.fraction&gt; &lt;offset&gt;"</c> where offset is minutes east of UTC plus 1440.</summary>
    public static DateTimeOffset DecodeDateTimeOffset(ReadOnlySpan<char> text)
    {
        var space = text.IndexOf(' ');
        if (space <= 0)
        {
            throw new FormatException("not '<epoch seconds> <offset minutes + 1440>'");
        }

        var offsetMinutes = int.Parse(text[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture) - 1440;
        var utcTicks = DateTime.UnixEpoch.Ticks + ParseSecondsAsTicks(text[..space]);
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    /// <summary>Semi-structured values are JSON text, except that an SQL NULL inside an array is written <c>undefined</c>.</summary>
    public static object DecodeSemiStructured(string text) =>
        text.Contains("undefined", StringComparison.Ordinal) ? ReplaceUndefined(text) : text;

    /// <summary>Seconds with an optional fraction (any number of digits) as ticks; digits beyond 100 ns are dropped.</summary>
    internal static long ParseSecondsAsTicks(ReadOnlySpan<char> text) =>
        TryParseSecondsAsTicks(text, out var ticks) ? ticks : throw new FormatException("not a number of seconds");

    /// <summary>The same from characters or from the wire's UTF-8 bytes; false for any other text.</summary>
    internal static bool TryParseSecondsAsTicks<TChar>(ReadOnlySpan<TChar> text, out long ticks)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        ticks = 0;
        var negative = text.Length > 0 && text[0] == TChar.CreateTruncating('-');
        if (negative)
        {
            text = text[1..];
        }

        var point = text.IndexOf(TChar.CreateTruncating('.'));
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if (whole.IsEmpty)
        {
            return false;
        }

        long seconds = 0;
        foreach (var c in whole)
        {
            var digit = int.CreateTruncating(c) - '0';
            if ((uint)digit > 9 || seconds > (long.MaxValue - digit) / 10)
            {
                return false;
            }

            seconds = (seconds * 10) + digit;
        }

        long fractionTicks = 0;
        for (var i = 0; i < fraction.Length; i++)
        {
            var digit = int.CreateTruncating(fraction[i]) - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            if (i < 7)
            {
                fractionTicks = (fractionTicks * 10) + digit;
            }
        }

        for (var i = fraction.Length; i < 7; i++)
        {
            fractionTicks *= 10;
        }

        if (seconds > (long.MaxValue - fractionTicks) / TicksPerSecond)
        {
            return false;
        }

        ticks = (seconds * TicksPerSecond) + fractionTicks;
        ticks = negative ? -ticks : ticks;
        return true;
    }

    private static bool IsPlainDecimal(ReadOnlySpan<char> text, out int significantDigits)
    {
        significantDigits = 0;
        var start = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        var seenDigit = false;
        var seenPoint = false;
        var leading = true;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '.')
            {
                if (seenPoint)
                {
                    return false;
                }

                seenPoint = true;
                continue;
            }

            if (c is < '0' or > '9')
            {
                return false;
            }

            seenDigit = true;
            if (leading && c == '0')
            {
                continue;
            }

            leading = false;
            significantDigits++;
        }

        return seenDigit;
    }

    private static string ReplaceUndefined(string text)
    {
        const string Undefined = "undefined";
        var builder = new StringBuilder(text.Length);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                builder.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    builder.Append(text[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if (c == 'u' && string.CompareOrdinal(text, i, Undefined, 0, Undefined.Length) == 0)
            {
                builder.Append("null");
                i += Undefined.Length - 1;
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
