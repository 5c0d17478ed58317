using System.Globalization;
using System.Numerics;
using System.Text;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// The SQL the engine sends to Snowflake. Every identifier goes through
/// <see cref="SnowflakeIdentifier.Quote(string)"/>; the only raw SQL is a table's
/// <c>source_filter</c>, which is trusted input. The constructs are kept to those Snowflake and
/// PostgreSQL both read the same way (quoted names, CAST, COUNT/MIN/MAX, NTILE and window
/// functions, LIMIT, NULLS LAST), so the emulated Snowflake can run them on PostgreSQL; only the
/// timestamp type names of literals are Snowflake's own, which the emulator translates.
/// </summary>
public static class SnowflakeSql
{
    /// <summary>A zero-row query whose result metadata describes the table's columns.</summary>
    public static string Describe(SnowflakeTableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"SELECT * FROM {table.Quoted} LIMIT 0";
    }

    /// <summary>Snowflake's own description of a table's columns: one row per column, its declared type in <c>type</c>.</summary>
    public static string DescribeTable(SnowflakeTableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"DESCRIBE TABLE {table.Quoted}";
    }

    /// <summary><c>SELECT COUNT(*)</c> of the rows matching the filter and an optional chunk predicate.</summary>
    public static string Count(SnowflakeTableName table, string? sourceFilter = null, string? predicate = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"SELECT COUNT(*) AS \"ROW_COUNT\" FROM {table.Quoted}{Where(predicate, sourceFilter)}";
    }

    /// <summary><c>ORDER BY "A" ASC NULLS LAST, "B" ASC NULLS LAST</c>: the same order in both dialects.</summary>
    public static string OrderBy(IReadOnlyList<string> keyColumns)
    {
        ArgumentNullException.ThrowIfNull(keyColumns);
        if (keyColumns.Count == 0)
        {
            throw new ArgumentException("An ordering needs at least one key column.", nameof(keyColumns));
        }

        return "ORDER BY " + string.Join(", ", keyColumns.Select(c => SnowflakeIdentifier.Quote(c) + " ASC NULLS LAST"));
    }

    /// <summary>The rows of one chunk: the named columns (all when empty), filtered, optionally in key order.</summary>
    public static string Select(
        SnowflakeTableName table,
        IReadOnlyList<string> columns,
        string? predicate = null,
        string? sourceFilter = null,
        IReadOnlyList<string>? orderByKeys = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        var list = columns.Count == 0 ? "*" : string.Join(", ", columns.Select(SnowflakeIdentifier.Quote));
        var order = orderByKeys is { Count: > 0 } ? " " + OrderBy(orderByKeys) : string.Empty;
        return $"SELECT {list} FROM {table.Quoted}{Where(predicate, sourceFilter)}{order}";
    }

    /// <summary>
    /// A value as an SQL literal both dialects read the same way: numbers as written, text in single
    /// quotes (a backslash, an escape character in Snowflake only, becomes <c>CHR(92)</c>), and
    /// dates, times and timestamps as <c>CAST('...' AS type)</c>; a UTC <see cref="DateTime"/>
    /// (a TIMESTAMP_LTZ value) and a <see cref="DateTimeOffset"/> are instants (TIMESTAMP_TZ with an
    /// explicit offset), any other <see cref="DateTime"/> a wall clock (TIMESTAMP_NTZ). The types are
    /// named explicitly: a bare TIMESTAMP follows the account's TIMESTAMP_TYPE_MAPPING.
    /// </summary>
    public static string Literal(object? value) => value switch
    {
        null => "NULL",
        bool b => b ? "TRUE" : "FALSE",
        sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger =>
            Convert.ToString(value, CultureInfo.InvariantCulture)!,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        ExactDecimal e => e.ToString(),
        double or float => $"CAST('{Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)}' AS DOUBLE PRECISION)",
        string s => TextLiteral(s),
        Guid g => TextLiteral(g.ToString("D")),
        DateOnly date => $"CAST('{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}' AS DATE)",
        TimeOnly time => $"CAST('{time.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture)}' AS TIME)",
        DateTime { Kind: DateTimeKind.Utc } utc => $"CAST('{utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)} +00:00' AS TIMESTAMP_TZ)",
        DateTime dateTime => $"CAST('{dateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)}' AS TIMESTAMP_NTZ)",
        DateTimeOffset instant => $"CAST('{instant.ToString("yyyy-MM-dd HH:mm:ss.fffffff zzz", CultureInfo.InvariantCulture)}' AS TIMESTAMP_TZ)",
        _ => throw new ArgumentException($"A {value.GetType().Name} value cannot be written as a key literal.", nameof(value)),
    };

    private static string TextLiteral(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('\'');
        foreach (var c in text)
        {
            switch (c)
            {
                case '\'':
                    quoted.Append("''");
                    break;
                case '\\':
                    quoted.Append("' || CHR(92) || '");
                    break;
                default:
                    quoted.Append(c);
                    break;
            }
        }

        return quoted.Append('\'').ToString();
    }

    private static string Where(params string?[] conditions)
    {
        var present = conditions.Where(c => !string.IsNullOrWhiteSpace(c)).ToArray();
        return present.Length == 0 ? string.Empty : " WHERE " + string.Join(" AND ", present.Select(c => "(" + c + ")"));
    }
}
