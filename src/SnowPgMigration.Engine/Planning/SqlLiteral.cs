using System.Globalization;
using System.Numerics;

namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// Renders key values as Snowflake SQL literals for chunk predicates. Text follows Snowflake's
/// string-literal rules, where a backslash is an escape character.
/// </summary>
public static class SqlLiteral
{
    public static string Render(object value) => value switch
    {
        string text => Text(text),
        Guid guid => Text(guid.ToString()),
        bool flag => flag ? "TRUE" : "FALSE",
        long or int or short or byte or sbyte or ulong or uint or ushort or BigInteger =>
            Convert.ToString(value, CultureInfo.InvariantCulture)!,
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        double number when double.IsFinite(number) => number.ToString("R", CultureInfo.InvariantCulture),
        float number when float.IsFinite(number) => number.ToString("R", CultureInfo.InvariantCulture),
        DateOnly date => "DATE " + Text(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime time => "CAST(" + Text(time.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)) + " AS TIMESTAMP)",
        DateTimeOffset time => "CAST(" + Text(time.ToString("yyyy-MM-dd HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture)) + " AS TIMESTAMPTZ)",
        _ => throw new ArgumentException(
            $"A chunk key of type {value.GetType().Name} cannot be written as a SQL literal; use a number, text, date or timestamp chunking column.",
            nameof(value)),
    };

    private static string Text(string text) =>
        "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}
