using System.Globalization;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// A value bound to a <c>?</c> placeholder. The SQL API sends every value as text with a type;
/// these factories produce the encodings Snowflake accepts. For dates and timestamps bind text
/// and CAST in SQL, which reads the same in every dialect.
/// </summary>
public sealed record SnowflakeBinding(string Type, string? Value)
{
    public static SnowflakeBinding Text(string? value) => new("TEXT", value);

    public static SnowflakeBinding Fixed(long value) => new("FIXED", value.ToString(CultureInfo.InvariantCulture));

    public static SnowflakeBinding Fixed(decimal value) => new("FIXED", value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Doubles; NaN and infinities use the bind spellings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    public static SnowflakeBinding Real(double value) => new("REAL", value switch
    {
        double.PositiveInfinity => "Infinity",
        double.NegativeInfinity => "-Infinity",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    });

    public static SnowflakeBinding Boolean(bool value) => new("BOOLEAN", value ? "true" : "false");

    /// <summary>SQL NULL of the given type (<c>TEXT</c>, <c>FIXED</c>...).</summary>
    public static SnowflakeBinding Null(string type = "TEXT") => new(type, null);
}
