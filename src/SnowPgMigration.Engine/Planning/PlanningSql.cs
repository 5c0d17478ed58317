using System.Globalization;

namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// The statements planning sends to the source. Each is one statement per table, whatever the
/// table's size, and uses only SQL that Snowflake and PostgreSQL both accept.
/// </summary>
public static class PlanningSql
{
    /// <summary>
    /// Fine quantile buckets of <paramref name="key"/>: per bucket the min, max, row count and rows equal
    /// to the max; NULL keys come back as one bucket with null bounds. With <paramref name="partition"/>,
    /// buckets restart in each partition (e.g. each calendar day) and the partition is the first column.
    /// </summary>
    public static string KeyBuckets(string table, string scope, string key, long bucketSize, string? partition = null)
    {
        var size = bucketSize.ToString(CultureInfo.InvariantCulture);
        var partitionBy = partition is null ? "" : "PARTITION BY p ";
        var partitionSelect = partition is null ? "NULL" : partition;
        return
            "SELECT p, b, MIN(k), MAX(k), COUNT(*), SUM(CASE WHEN k = bmax THEN 1 ELSE 0 END) FROM (" +
            "SELECT p, k, b, MAX(k) OVER (PARTITION BY p, b) AS bmax FROM (" +
            $"SELECT p, k, CASE WHEN k IS NULL THEN NULL ELSE FLOOR((ROW_NUMBER() OVER ({partitionBy}ORDER BY k NULLS LAST) - 1) / {size}) END AS b FROM (" +
            $"SELECT {partitionSelect} AS p, {key} AS k FROM {table} WHERE {scope}" +
            ") AS scoped) AS numbered) AS bucketed " +
            "GROUP BY p, b ORDER BY p, b NULLS FIRST";
    }

    /// <summary>The key's smallest and largest value, the rows that have one, and all rows in scope (<see cref="KeyProfile"/>).</summary>
    public static string KeyProfile(string table, string scope, string key) =>
        $"SELECT MIN({key}), MAX({key}), COUNT({key}), COUNT(*) FROM {table} WHERE {scope}";

    /// <summary>
    /// Buckets of an integer key by equal ranges of <paramref name="width"/> values from <paramref name="min"/>, in the
    /// shape of <see cref="KeyBuckets"/> (NULL keys as one bucket with null bounds, last): no key value is in two
    /// buckets, so none has a tail that continues. One grouped pass, where the quantiles need the rows sorted.
    /// </summary>
    public static string KeyHistogram(string table, string scope, string key, long min, long width)
    {
        var bucket = $"FLOOR(({key} - {min.ToString(CultureInfo.InvariantCulture)}) / {width.ToString(CultureInfo.InvariantCulture)})";
        return $"SELECT NULL AS p, {bucket} AS b, MIN({key}), MAX({key}), COUNT(*), 0 FROM {table} " +
               $"WHERE {scope} GROUP BY {bucket} ORDER BY {bucket} NULLS LAST";
    }

    /// <summary>Rows per calendar day of <paramref name="key"/> (NULL keys as a null day), in day order.</summary>
    public static string DayCounts(string table, string scope, string key) =>
        $"SELECT CAST({key} AS DATE) AS d, COUNT(*) FROM {table} WHERE {scope} GROUP BY CAST({key} AS DATE) ORDER BY d NULLS FIRST";

    /// <summary>Rows per distinct value of <paramref name="key"/>, at most <paramref name="limit"/> values.</summary>
    public static string ValueCounts(string table, string scope, string key, int limit) =>
        $"SELECT {key}, COUNT(*) FROM {table} WHERE {scope} GROUP BY {key} ORDER BY {key} NULLS FIRST LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The day expression a date strategy chunks by.</summary>
    public static string DayOf(string key) => $"CAST({key} AS DATE)";
}
