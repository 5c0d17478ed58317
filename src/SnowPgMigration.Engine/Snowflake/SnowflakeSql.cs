using System.Globalization;
using System.Numerics;
using System.Text;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// The SQL the engine sends to Snowflake. Every identifier goes through
/// <see cref="SnowflakeIdentifier.Quote(string)"/>; the only raw SQL is a table's
/// <c>source_filter</c>, which is trusted input. The constructs are kept to those Snowflake and
/// PostgreSQL both read the same way (quoted names, CAST, COUNT/MIN/MAX, NTILE and window
/// functions, LIMIT, NULLS LAST), so the emulated Snowflake can run them on PostgreSQL.
/// </summary>
public static class SnowflakeSql
{
    /// <summary>A zero-row query whose result metadata describes the table's columns.</summary>
    public static string Describe(SnowflakeTableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"SELECT * FROM {table.Quoted} LIMIT 0";
    }

    /// <summary><c>SELECT COUNT(*)</c> of the rows matching the filter and an optional chunk predicate.</summary>
    public static string Count(SnowflakeTableName table, string? sourceFilter = null, string? predicate = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"SELECT COUNT(*) AS \"ROW_COUNT\" FROM {table.Quoted}{Where(predicate, sourceFilter)}";
    }

    /// <summary>One row: the smallest and largest non-null key, and how many rows have a non-null key.</summary>
    public static string MinMax(SnowflakeTableName table, string keyColumn, string? sourceFilter = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var key = SnowflakeIdentifier.Quote(keyColumn);
        return $"SELECT MIN({key}) AS \"MIN_VALUE\", MAX({key}) AS \"MAX_VALUE\", COUNT({key}) AS \"ROW_COUNT\" FROM {table.Quoted}{Where(sourceFilter)}";
    }

    /// <summary>
    /// Splits the non-null keys into <paramref name="buckets"/> groups of (almost) equal size with
    /// NTILE and returns one row per non-empty group: <c>BUCKET</c>, <c>MIN_VALUE</c>,
    /// <c>MAX_VALUE</c>, <c>ROW_COUNT</c>, ordered by bucket. Rows with a NULL key are not in any
    /// bucket: count them with <see cref="Count"/> and <see cref="NullKeyPredicate(string)"/>.
    /// </summary>
    public static string QuantileBoundaries(SnowflakeTableName table, string keyColumn, int buckets, string? sourceFilter = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        var key = SnowflakeIdentifier.Quote(keyColumn);
        var bucketCount = buckets.ToString(CultureInfo.InvariantCulture);
        return
            "SELECT \"BUCKET\", MIN(\"KEY_VALUE\") AS \"MIN_VALUE\", MAX(\"KEY_VALUE\") AS \"MAX_VALUE\", COUNT(*) AS \"ROW_COUNT\" " +
            $"FROM (SELECT {key} AS \"KEY_VALUE\", NTILE({bucketCount}) OVER (ORDER BY {key}) AS \"BUCKET\" " +
            $"FROM {table.Quoted}{Where($"{key} IS NOT NULL", sourceFilter)}) AS \"KEYS\" " +
            "GROUP BY \"BUCKET\" ORDER BY \"BUCKET\"";
    }

    /// <summary>
    /// The predicate of one key range, lower bound included and upper excluded; a null bound is
    /// open, so the first range (no lower bound) and the last (no upper bound) reach every key
    /// below and above the planned boundaries, including keys inserted after planning.
    /// NULL keys are never in a range: they have <see cref="NullKeyPredicate(string)"/>.
    /// </summary>
    public static string RangePredicate(string keyColumn, object? lowerInclusive, object? upperExclusive) =>
        RangePredicate([keyColumn], lowerInclusive is null ? null : [lowerInclusive], upperExclusive is null ? null : [upperExclusive]);

    /// <summary>The predicate of the rows whose key is NULL.</summary>
    public static string NullKeyPredicate(string keyColumn) => NullKeyPredicate([keyColumn]);

    /// <summary>
    /// Predicates that together cover every row exactly once, from ascending split points: below
    /// the first point (open below), between consecutive points, from the last point up (open
    /// above), then the NULL keys. No split points gives one range of all non-null keys.
    /// </summary>
    public static IReadOnlyList<string> CoveringPredicates(string keyColumn, IReadOnlyList<object> splitPoints)
    {
        ArgumentNullException.ThrowIfNull(splitPoints);
        return CoveringPredicates([keyColumn], splitPoints.Select(point => (IReadOnlyList<object>)[point]).ToArray());
    }

    /// <summary>
    /// For a composite key: NTILE over the rows whose key columns are all non-null, ordered by the
    /// key, and one row per non-empty bucket with its first key (<c>BUCKET</c>, <c>KEY_1</c> ...
    /// <c>KEY_n</c>, <c>ROW_COUNT</c>), ordered by bucket. The first keys of buckets 2..n are the
    /// split points for <see cref="CoveringPredicates(IReadOnlyList{string}, IReadOnlyList{IReadOnlyList{object}})"/>.
    /// </summary>
    public static string QuantileLowerBounds(SnowflakeTableName table, IReadOnlyList<string> keyColumns, int buckets, string? sourceFilter = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keys = QuotedKeys(keyColumns);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        var keyList = string.Join(", ", keys);
        var aliases = string.Join(", ", keys.Select((key, i) => $"{key} AS \"KEY_{i + 1}\""));
        var outputs = string.Join(", ", keys.Select((_, i) => $"\"KEY_{i + 1}\""));
        var notNull = string.Join(" AND ", keys.Select(key => key + " IS NOT NULL"));
        var bucketCount = buckets.ToString(CultureInfo.InvariantCulture);
        return
            $"SELECT \"BUCKET\", {outputs}, \"ROW_COUNT\" FROM (" +
            $"SELECT \"BUCKET\", {aliases}, " +
            $"ROW_NUMBER() OVER (PARTITION BY \"BUCKET\" ORDER BY {keyList}) AS \"ROW_IN_BUCKET\", " +
            "COUNT(*) OVER (PARTITION BY \"BUCKET\") AS \"ROW_COUNT\" " +
            $"FROM (SELECT {keyList}, NTILE({bucketCount}) OVER (ORDER BY {keyList}) AS \"BUCKET\" " +
            $"FROM {table.Quoted}{Where(notNull, sourceFilter)}) AS \"KEYS\") AS \"BUCKETS\" " +
            "WHERE \"ROW_IN_BUCKET\" = 1 ORDER BY \"BUCKET\"";
    }

    /// <summary>
    /// The predicate of one composite-key range in key order (lexicographic), lower tuple included,
    /// upper excluded, a null bound open. Only rows whose key columns are all non-null are in a
    /// range; the others have <see cref="NullKeyPredicate(IReadOnlyList{string})"/>.
    /// </summary>
    public static string RangePredicate(IReadOnlyList<string> keyColumns, IReadOnlyList<object>? lowerInclusive, IReadOnlyList<object>? upperExclusive)
    {
        var keys = QuotedKeys(keyColumns);
        var conditions = new List<string>();
        if (keys.Length > 1 || (lowerInclusive is null && upperExclusive is null))
        {
            // A comparison is never true on NULL, so one bounded key column excludes NULL by itself;
            // a composite comparison can be decided by its first column while a later one is NULL.
            conditions.Add(string.Join(" AND ", keys.Select(key => key + " IS NOT NULL")));
        }

        if (lowerInclusive is not null)
        {
            conditions.Add(Lexicographic(keys, lowerInclusive, ">", ">="));
        }

        if (upperExclusive is not null)
        {
            conditions.Add(Lexicographic(keys, upperExclusive, "<", "<"));
        }

        return string.Join(" AND ", conditions.Select(c => c.Contains(" OR ", StringComparison.Ordinal) ? "(" + c + ")" : c));
    }

    /// <summary>The rows with a NULL in any key column.</summary>
    public static string NullKeyPredicate(IReadOnlyList<string> keyColumns) =>
        string.Join(" OR ", QuotedKeys(keyColumns).Select(key => key + " IS NULL"));

    /// <summary>
    /// Composite-key predicates that together cover every row exactly once, from ascending split
    /// tuples: open below, between consecutive tuples, open above, then rows with a NULL key column.
    /// </summary>
    public static IReadOnlyList<string> CoveringPredicates(IReadOnlyList<string> keyColumns, IReadOnlyList<IReadOnlyList<object>> splitPoints)
    {
        ArgumentNullException.ThrowIfNull(splitPoints);
        var predicates = new List<string>(splitPoints.Count + 2);
        IReadOnlyList<object>? lower = null;
        foreach (var point in splitPoints)
        {
            predicates.Add(RangePredicate(keyColumns, lower, point));
            lower = point;
        }

        predicates.Add(RangePredicate(keyColumns, lower, null));
        predicates.Add(NullKeyPredicate(keyColumns));
        return predicates;
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
    /// (a TIMESTAMP_LTZ value) and a <see cref="DateTimeOffset"/> are instants (TIMESTAMPTZ), any other
    /// <see cref="DateTime"/> a wall clock (TIMESTAMP).
    /// </summary>
    public static string Literal(object? value) => value switch
    {
        null => "NULL",
        bool b => b ? "TRUE" : "FALSE",
        sbyte or byte or short or ushort or int or uint or long or ulong or BigInteger =>
            Convert.ToString(value, CultureInfo.InvariantCulture)!,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        double or float => $"CAST('{Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)}' AS DOUBLE PRECISION)",
        string s => TextLiteral(s),
        Guid g => TextLiteral(g.ToString("D")),
        DateOnly date => $"CAST('{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}' AS DATE)",
        TimeOnly time => $"CAST('{time.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture)}' AS TIME)",
        DateTime { Kind: DateTimeKind.Utc } utc => $"CAST('{utc.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)} +00:00' AS TIMESTAMPTZ)",
        DateTime dateTime => $"CAST('{dateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)}' AS TIMESTAMP)",
        DateTimeOffset instant => $"CAST('{instant.ToString("yyyy-MM-dd HH:mm:ss.fffffff zzz", CultureInfo.InvariantCulture)}' AS TIMESTAMPTZ)",
        _ => throw new ArgumentException($"A {value.GetType().Name} value cannot be written as a key literal.", nameof(value)),
    };

    private static string[] QuotedKeys(IReadOnlyList<string> keyColumns)
    {
        ArgumentNullException.ThrowIfNull(keyColumns);
        if (keyColumns.Count == 0)
        {
            throw new ArgumentException("A key needs at least one column.", nameof(keyColumns));
        }

        return keyColumns.Select(SnowflakeIdentifier.Quote).ToArray();
    }

    /// <summary>
    /// (k1, k2, k3) compared with (v1, v2, v3) in key order, spelled out because row-value
    /// comparison is not read the same way everywhere: <c>k1 &gt; v1 OR (k1 = v1 AND (k2 &gt; v2 OR (k2 = v2 AND k3 &gt;= v3)))</c>.
    /// </summary>
    private static string Lexicographic(string[] keys, IReadOnlyList<object> bound, string strict, string last)
    {
        if (bound.Count != keys.Length)
        {
            throw new ArgumentException($"A bound of a {keys.Length}-column key needs {keys.Length} values, not {bound.Count}.", nameof(bound));
        }

        var text = $"{keys[^1]} {last} {Literal(bound[^1])}";
        for (var i = keys.Length - 2; i >= 0; i--)
        {
            var value = Literal(bound[i]);
            text = $"{keys[i]} {strict} {value} OR ({keys[i]} = {value} AND ({text}))";
        }

        return text;
    }

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
