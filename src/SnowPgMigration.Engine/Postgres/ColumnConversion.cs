using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NpgsqlTypes;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// How values from the source become values of one target column: the PostgreSQL type to write
/// and a conversion from whatever .NET type the source decoded. Built once per column, used per row.
/// </summary>
public sealed class ColumnConversion
{
    private static readonly decimal[] DecimalPowersOfTen = Enumerable.Range(0, 29).Select(n => Enumerable.Repeat(10m, n).Aggregate(1m, (a, b) => a * b)).ToArray();

    private readonly Func<object, object> _convert;

    private ColumnConversion(TargetColumn column, NpgsqlDbType dbType, Func<object, object> convert)
    {
        Column = column;
        DbType = dbType;
        _convert = convert;
    }

    public TargetColumn Column { get; }

    public NpgsqlDbType DbType { get; }

    /// <summary>
    /// The column's declared size, when its conversion is the plain one for its type (so a decoded value
    /// that already fits may be written without <see cref="Convert"/>, see <see cref="DecodedValueWriter"/>); null otherwise.
    /// </summary>
    internal TargetTypeLimits? PlainLimits { get; private init; }

    /// <summary>Converts one non-null source value; throws <see cref="FormatException"/> or <see cref="OverflowException"/> when it cannot.</summary>
    public object Convert(object value) => _convert(value);

    /// <summary>
    /// The conversion for <paramref name="column"/>, or null when its type cannot be written. A value
    /// the column cannot hold exactly (more fraction digits than numeric(p,s) keeps, text longer than
    /// varchar(n), a double that real cannot hold) throws <see cref="ValueNarrowingException"/>, unless
    /// <paramref name="allowLossy"/>: then it is rounded, truncated or narrowed here, as the target
    /// would store it, so verification compares what was actually written.
    /// </summary>
    public static ColumnConversion? For(TargetColumn column, bool allowLossy = false)
    {
        ArgumentNullException.ThrowIfNull(column);
        var limits = TargetTypeLimits.Of(column);
        var srid = column.TypeName is "geometry" or "geography" ? GeoJsonToEwkb.SridOf(column) : 0;
        (NpgsqlDbType Type, Func<object, object> Convert)? plan = column.TypeName switch
        {
            "int2" => (NpgsqlDbType.Smallint, v => checked((short)ToInteger(v))),
            "int4" => (NpgsqlDbType.Integer, v => checked((int)ToInteger(v))),
            "int8" => (NpgsqlDbType.Bigint, v => ToInteger(v)),
            "numeric" when limits.Precision is { } precision =>
                (NpgsqlDbType.Numeric, v => FitNumeric(ToNumeric(v), precision, limits.Scale ?? 0, allowLossy)),
            "numeric" => (NpgsqlDbType.Numeric, ToNumeric),
            "float4" => (NpgsqlDbType.Real, v => ToReal(v, allowLossy)),
            "float8" => (NpgsqlDbType.Double, v => ToDouble(v)),
            "bool" => (NpgsqlDbType.Boolean, v => ToBoolean(v)),
            "varchar" or "bpchar" when limits.Length is { } length => (NpgsqlDbType.Text, v => FitText(ToText(v), length, column.TypeName == "bpchar", allowLossy)),
            "text" or "varchar" or "bpchar" or "name" or "citext" => (NpgsqlDbType.Text, ToText),
            "uuid" => (NpgsqlDbType.Uuid, v => v is Guid g ? g : Guid.Parse(ToText(v))),
            "bytea" => (NpgsqlDbType.Bytea, ToBytes),
            "date" => (NpgsqlDbType.Date, v => ToDate(v)),
            "time" => (NpgsqlDbType.Time, v => ToMicroseconds(ToTime(v))),
            "timestamp" => (NpgsqlDbType.Timestamp, v => ToMicroseconds(ToTimestamp(v))),
            "timestamptz" => (NpgsqlDbType.TimestampTz, v => ToMicroseconds(ToTimestampTz(v))),
            "json" => (NpgsqlDbType.Json, v => ToJson(v)),
            "jsonb" => (NpgsqlDbType.Jsonb, v => ToJson(v)),
            "_float8" => (NpgsqlDbType.Array | NpgsqlDbType.Double, v => ToVector(v, double.Parse)),
            "_float4" => (NpgsqlDbType.Array | NpgsqlDbType.Real, v => ToVector(v, float.Parse)),
            "_int4" => (NpgsqlDbType.Array | NpgsqlDbType.Integer, v => ToVector(v, int.Parse)),
            // PostGIS columns take EWKB through the binary COPY (written as bytea, which only frames the bytes).
            "geometry" or "geography" => (NpgsqlDbType.Bytea, v => GeoJsonToEwkb.Convert(ToText(v), srid)),
            _ => null,
        };
        return plan is { } p
            ? new ColumnConversion(column, p.Type, KeepWhenReady(p.Type, p.Convert)) { PlainLimits = column.TypeName is "geometry" or "geography" ? null : limits }
            : null;
    }

    /// <summary>
    /// A value the source already decoded to exactly what the target type takes is passed on as it is:
    /// converting it would only box it again, once per value.
    /// </summary>
    private static Func<object, object> KeepWhenReady(NpgsqlDbType type, Func<object, object> convert) => type switch
    {
        NpgsqlDbType.Bigint => v => v is long ? v : convert(v),
        NpgsqlDbType.Double => v => v is double ? v : convert(v),
        NpgsqlDbType.Boolean => v => v is bool ? v : convert(v),
        NpgsqlDbType.Date => v => v is DateOnly ? v : convert(v),
        NpgsqlDbType.Timestamp => v => v is DateTime { Kind: DateTimeKind.Unspecified } ? v : convert(v),
        NpgsqlDbType.TimestampTz => v => v is DateTime { Kind: DateTimeKind.Utc } ? v : convert(v),
        _ => convert,
    };

    /// <summary>The offset companion of a TIMESTAMP_TZ column: each value's offset in minutes east of UTC.</summary>
    public static ColumnConversion OffsetMinutes(TargetColumn column) =>
        new(column, NpgsqlDbType.Smallint, v => v is DateTimeOffset t
            ? (short)t.Offset.TotalMinutes
            : throw new FormatException($"{Describe(v)} is not a timestamp with an offset."));

    private static long ToInteger(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        decimal d when decimal.Truncate(d) == d => checked((long)d),
        BigInteger b => (long)b,
        ExactDecimal e when e.Scale == 0 => (long)e.Unscaled,
        double d when Math.Truncate(d) == d => checked((long)d),
        bool b => b ? 1 : 0,
        string s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{Describe(value)} is not a whole number."),
    };

    /// <summary>
    /// A number as the CLR value that carries it exactly: <see cref="decimal"/> when it holds it,
    /// else <see cref="BigInteger"/> (whole) or <see cref="ExactDecimal"/>. A double goes by its
    /// shortest round-trip text, so 0.1 stays 0.1.
    /// </summary>
    private static object ToNumeric(object value) => value switch
    {
        decimal => value,
        long l => (decimal)l,
        int i => (decimal)i,
        short s => (decimal)s,
        BigInteger b => b <= (BigInteger)decimal.MaxValue && b >= (BigInteger)decimal.MinValue ? (decimal)b : b,
        ExactDecimal e => e.ToClrValue(),
        double d when double.IsFinite(d) => ExactDecimal.Parse(d.ToString("R", CultureInfo.InvariantCulture)).ToClrValue(),
        float f when float.IsFinite(f) => ExactDecimal.Parse(f.ToString("R", CultureInfo.InvariantCulture)).ToClrValue(),
        string s => ExactDecimal.TryParse(s.Trim(), out var e)
            ? e.ToClrValue()
            : throw new FormatException($"{Describe(value)} is not a number."),
        _ => throw new FormatException($"{Describe(value)} is not a number."),
    };

    /// <summary>
    /// numeric(p,s) rounds extra fraction digits silently, so they are refused here (or rounded as
    /// PostgreSQL would, when lossy conversion is allowed); too many integer digits never fit.
    /// </summary>
    private static object FitNumeric(object number, int precision, int scale, bool allowLossy)
    {
        if (number is decimal fast && FitsAsIs(fast, precision, scale))
        {
            return number;
        }

        var exact = number switch
        {
            decimal d => ExactDecimal.Parse(d.ToString(CultureInfo.InvariantCulture)),
            BigInteger b => ExactDecimal.FromInteger(b),
            ExactDecimal e => e,
            _ => throw new FormatException($"{Describe(number)} is not a number."),
        };
        var fitted = exact;
        if (exact.Scale > scale)
        {
            if (!allowLossy)
            {
                throw Narrowed($"{exact} has {exact.Scale} digits after the point; numeric({precision},{scale}) keeps {scale} and would round it.");
            }

            fitted = exact.Round(scale);
        }

        if (fitted.IntegerDigits > precision - scale)
        {
            throw Narrowed($"{exact} has {fitted.IntegerDigits} digits before the point; numeric({precision},{scale}) holds {precision - scale}.");
        }

        return fitted == exact ? number : fitted.ToClrValue();
    }

    /// <summary>The common case, checked without allocating: a decimal within numeric(p,s)'s scale and magnitude, stored as it is.</summary>
    internal static bool FitsAsIs(decimal value, int precision, int scale)
    {
        var integerDigits = precision - scale;
        return value.Scale <= scale && (integerDigits >= DecimalPowersOfTen.Length || Math.Abs(value) < DecimalPowersOfTen[integerDigits]);
    }

    /// <summary>real keeps about 7 digits: a double that does not survive the round trip is refused unless lossy is allowed.</summary>
    private static float ToReal(object value, bool allowLossy)
    {
        var wide = ToDouble(value);
        var narrow = (float)wide;
        if (double.IsFinite(wide) && !float.IsFinite(narrow))
        {
            throw Narrowed($"{wide.ToString("R", CultureInfo.InvariantCulture)} is beyond the range of real.");
        }

        if (!allowLossy && !double.IsNaN(wide) && narrow != wide)
        {
            throw Narrowed($"{wide.ToString("R", CultureInfo.InvariantCulture)} does not survive as real (it would be stored as {narrow.ToString("R", CultureInfo.InvariantCulture)}).");
        }

        return narrow;
    }

    /// <summary>varchar(n) and char(n) count characters (code points); longer text is refused or, when lossy is allowed, cut.</summary>
    private static string FitText(string text, int length, bool blankPadded, bool allowLossy)
    {
        if (text.Length <= length)
        {
            return text;
        }

        if (CodePoints(text) <= length)
        {
            return text;
        }

        var kept = CutToCodePoints(text, length);
        // char(n) drops trailing blanks beyond n itself; only real characters are lost.
        if (blankPadded && text[kept.Length..].All(c => c == ' '))
        {
            return kept;
        }

        if (!allowLossy)
        {
            throw Narrowed($"the text has {CodePoints(text)} characters; the column holds {length}.");
        }

        return kept;
    }

    /// <summary>The chunk's error text is all an administrator may see, so it carries the code and the remedy.</summary>
    private static ValueNarrowingException Narrowed(string reason) =>
        new($"{reason} [SFPG2111: widen the target column, or set allow_lossy_conversion on the table]");

    private static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static string CutToCodePoints(string text, int length)
    {
        var end = 0;
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count == length)
            {
                break;
            }

            end += rune.Utf16SequenceLength;
            count++;
        }

        return text[..end];
    }

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        float f => f,
        decimal d => (double)d,
        long l => l,
        int i => i,
        BigInteger b => (double)b,
        ExactDecimal e => double.Parse(e.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        string s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{Describe(value)} is not a number."),
    };

    private static bool ToBoolean(object value) => value switch
    {
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        decimal d => d != 0,
        string s when bool.TryParse(s, out var b) => b,
        string s when s is "1" or "0" => s == "1",
        _ => throw new FormatException($"{Describe(value)} is not a boolean."),
    };

    private static string ToText(object value) => value switch
    {
        string s => s,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        byte[] bytes => System.Convert.ToHexString(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static byte[] ToBytes(object value) => value switch
    {
        byte[] bytes => bytes,
        string hex => System.Convert.FromHexString(hex),
        _ => throw new FormatException($"{Describe(value)} is not binary."),
    };

    private static DateOnly ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        DateTimeOffset t => DateOnly.FromDateTime(t.DateTime),
        string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{Describe(value)} is not a date."),
    };

    /// <summary>
    /// PostgreSQL keeps times to the microsecond: the 100 ns digit a nanosecond source brings (with truncate_nanoseconds,
    /// or into an existing column) is cut here, so the value is the one stored and verification compares like with like.
    /// </summary>
    private static TimeSpan ToMicroseconds(TimeSpan time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMicrosecond));

    private static DateTime ToMicroseconds(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMicrosecond), time.Kind);

    private static TimeSpan ToTime(object value) => value switch
    {
        TimeOnly t => t.ToTimeSpan(),
        TimeSpan t => t,
        DateTime t => t.TimeOfDay,
        string s => TimeOnly.Parse(s, CultureInfo.InvariantCulture).ToTimeSpan(),
        _ => throw new FormatException($"{Describe(value)} is not a time of day."),
    };

    /// <summary>A timestamp without time zone keeps the wall-clock value; an offset is first moved to UTC.</summary>
    private static DateTime ToTimestamp(object value) => value switch
    {
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
        DateTimeOffset t => DateTime.SpecifyKind(t.UtcDateTime, DateTimeKind.Unspecified),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified),
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.None),
        _ => throw new FormatException($"{Describe(value)} is not a timestamp."),
    };

    /// <summary>PostgreSQL stores timestamptz as UTC; a value without offset is taken to be UTC.</summary>
    private static DateTime ToTimestampTz(object value) => value switch
    {
        DateTimeOffset t => t.UtcDateTime,
        DateTime t => DateTime.SpecifyKind(t, DateTimeKind.Utc),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime,
        _ => throw new FormatException($"{Describe(value)} is not a timestamp."),
    };

    /// <summary>A VECTOR arrives as <c>[1.000000,2.000000]</c>; each element is parsed exactly, never through a narrower type.</summary>
    private static T[] ToVector<T>(object value, Func<string, IFormatProvider, T> parse) => value switch
    {
        T[] ready => ready,
        string s => s.Trim().TrimStart('[').TrimEnd(']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => parse(e, CultureInfo.InvariantCulture)).ToArray(),
        _ => throw new FormatException($"{Describe(value)} is not a vector."),
    };

    private static string ToJson(object value) => value switch
    {
        string s => s,
        _ => JsonSerializer.Serialize(value),
    };

    private static string Describe(object value)
    {
        var text = ToText(value);
        if (text.Length > 60)
        {
            text = text[..60] + "...";
        }

        return $"'{text}' ({value.GetType().Name})";
    }
}
