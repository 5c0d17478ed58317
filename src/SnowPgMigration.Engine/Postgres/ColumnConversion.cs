using System.Globalization;
using System.Numerics;
using System.Text.Json;
using NpgsqlTypes;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// How values from the source become values of one target column: the PostgreSQL type to write
/// and a conversion from whatever .NET type the source decoded. Built once per column, used per row.
/// </summary>
public sealed class ColumnConversion
{
    private readonly Func<object, object> _convert;

    private ColumnConversion(TargetColumn column, NpgsqlDbType dbType, Func<object, object> convert)
    {
        Column = column;
        DbType = dbType;
        _convert = convert;
    }

    public TargetColumn Column { get; }

    public NpgsqlDbType DbType { get; }

    /// <summary>Converts one non-null source value; throws <see cref="FormatException"/> or <see cref="OverflowException"/> when it cannot.</summary>
    public object Convert(object value) => _convert(value);

    /// <summary>The conversion for <paramref name="column"/>, or null when its type cannot be written.</summary>
    public static ColumnConversion? For(TargetColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        (NpgsqlDbType Type, Func<object, object> Convert)? plan = column.TypeName switch
        {
            "int2" => (NpgsqlDbType.Smallint, v => checked((short)ToInteger(v))),
            "int4" => (NpgsqlDbType.Integer, v => checked((int)ToInteger(v))),
            "int8" => (NpgsqlDbType.Bigint, v => ToInteger(v)),
            "numeric" => (NpgsqlDbType.Numeric, ToNumeric),
            "float4" => (NpgsqlDbType.Real, v => (float)ToDouble(v)),
            "float8" => (NpgsqlDbType.Double, v => ToDouble(v)),
            "bool" => (NpgsqlDbType.Boolean, v => ToBoolean(v)),
            "text" or "varchar" or "bpchar" or "name" or "citext" => (NpgsqlDbType.Text, ToText),
            "uuid" => (NpgsqlDbType.Uuid, v => v is Guid g ? g : Guid.Parse(ToText(v))),
            "bytea" => (NpgsqlDbType.Bytea, ToBytes),
            "date" => (NpgsqlDbType.Date, v => ToDate(v)),
            "time" => (NpgsqlDbType.Time, v => ToTime(v)),
            "timestamp" => (NpgsqlDbType.Timestamp, v => ToTimestamp(v)),
            "timestamptz" => (NpgsqlDbType.TimestampTz, v => ToTimestampTz(v)),
            "json" => (NpgsqlDbType.Json, v => ToJson(v)),
            "jsonb" => (NpgsqlDbType.Jsonb, v => ToJson(v)),
            _ => null,
        };
        return plan is { } p ? new ColumnConversion(column, p.Type, p.Convert) : null;
    }

    private static long ToInteger(object value) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        decimal d when decimal.Truncate(d) == d => checked((long)d),
        BigInteger b => (long)b,
        double d when Math.Truncate(d) == d => checked((long)d),
        bool b => b ? 1 : 0,
        string s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{Describe(value)} is not a whole number."),
    };

    private static object ToNumeric(object value) => value switch
    {
        decimal d => d,
        long l => (decimal)l,
        int i => (decimal)i,
        BigInteger b => b <= (BigInteger)decimal.MaxValue && b >= (BigInteger)decimal.MinValue ? (decimal)b : b,
        double d => (decimal)d,
        string s => decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : BigInteger.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{Describe(value)} is not a number."),
    };

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        float f => f,
        decimal d => (double)d,
        long l => l,
        int i => i,
        BigInteger b => (double)b,
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
