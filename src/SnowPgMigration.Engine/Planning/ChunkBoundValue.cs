using System.Globalization;
using System.Numerics;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// A chunk bound as stored: invariant text plus the name of its type, so the exact value (and so the exact
/// literal <see cref="SnowflakeSql.Literal"/> writes for it) can be read back without trusting any SQL text.
/// </summary>
public static class ChunkBoundValue
{
    public const string Number = "number";
    public const string Approximate = "float";
    public const string Text = "text";
    public const string Boolean = "boolean";
    public const string Date = "date";
    public const string Time = "time";
    public const string WallClock = "timestamp_ntz";
    public const string UtcInstant = "timestamp_ltz";
    public const string Instant = "timestamp_tz";

    /// <summary>The type name stored for a value, or null for a value no literal can be written for.</summary>
    public static string? TypeOf(object? value) => value switch
    {
        sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger or decimal or ExactDecimal => Number,
        double or float => Approximate,
        string or Guid => Text,
        bool => Boolean,
        DateOnly => Date,
        TimeOnly => Time,
        DateTime { Kind: DateTimeKind.Utc } => UtcInstant,
        DateTime => WallClock,
        DateTimeOffset => Instant,
        _ => null,
    };

    /// <summary>The value as stored text; round-trips through <see cref="Read"/>.</summary>
    public static string? Write(object? value) => value switch
    {
        null => null,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => ((double)number).ToString("R", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Reads a stored value back as the typed value it was planned from.</summary>
    /// <exception cref="FormatException">The text is not a value of that type, or the type is unknown.</exception>
    public static object Read(string type, string text)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(text);
        const DateTimeStyles Exact = DateTimeStyles.RoundtripKind;
        return type switch
        {
            Number => ExactDecimal.Parse(text),
            Approximate => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            Text => text,
            Boolean => bool.Parse(text),
            Date => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Time => TimeOnly.ParseExact(text, "O", CultureInfo.InvariantCulture),
            UtcInstant => DateTime.Parse(text, CultureInfo.InvariantCulture, Exact) is { Kind: DateTimeKind.Utc } utc
                ? utc
                : throw new FormatException($"'{text}' is not a UTC timestamp."),
            WallClock => DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture, Exact), DateTimeKind.Unspecified),
            Instant => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture),
            _ => throw new FormatException($"'{type}' is not a known bound type."),
        };
    }
}
