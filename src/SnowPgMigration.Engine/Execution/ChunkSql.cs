using System.Globalization;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>The statement that reads one chunk's rows from the source.</summary>
public static class ChunkSql
{
    /// <param name="page">For offset chunks, the page to read; null for predicate chunks.</param>
    public static string Select(SnowflakeTableName table, IReadOnlyList<string> columns, string predicate, OffsetPage? page)
    {
        var sql = SnowflakeSql.Select(table, columns, predicate);
        if (page is null)
        {
            return sql;
        }

        // LIMIT NULL is "no limit" in both Snowflake and PostgreSQL: the last page is open-ended.
        var limit = page.Limit is { } rows ? rows.ToString(CultureInfo.InvariantCulture) : "NULL";
        return $"{sql} ORDER BY {page.OrderBy} LIMIT {limit} OFFSET {page.Offset.ToString(CultureInfo.InvariantCulture)}";
    }
}

/// <summary>The paging of an offset chunk.</summary>
public sealed record OffsetPage(string OrderBy, long Offset, long? Limit);
