using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// The statements of the integrity check. Each returns one row - the count and a text[] of sample keys - so the
/// work stays in PostgreSQL and no table rows travel. Every name goes through <see cref="PgIdentifier.Quote(string)"/>.
/// </summary>
internal static class IntegritySql
{
    /// <summary>Column names and types of a table (none when it does not exist).</summary>
    public const string Columns = """
        SELECT a.attname
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """;

    /// <summary>The table's foreign keys with their columns in key order, multi-column ones included.</summary>
    public const string ForeignKeys = """
        SELECT k.conname, rn.nspname, rc.relname,
               ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY AS x(num, pos)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.num ORDER BY x.pos),
               ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY AS x(num, pos)
                     JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.num ORDER BY x.pos)
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_class rc ON rc.oid = k.confrelid
        JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE k.contype = 'f' AND n.nspname = $1 AND c.relname = $2
        ORDER BY k.conname
        """;

    /// <summary>Rows whose key occurs more than once, and the first duplicated keys; rows with a NULL key column are the NULL-key check's.</summary>
    public static string DuplicateKeys(string table, IReadOnlyList<string> key, int sampleSize)
    {
        var columns = List("r", key);
        return $"""
            WITH duplicated AS (
                SELECT {columns}, count(*) AS occurrences FROM {table} AS r
                WHERE {Joined("r", key, "IS NOT NULL", " AND ")}
                GROUP BY {columns} HAVING count(*) > 1)
            SELECT coalesce((SELECT sum(occurrences) FROM duplicated), 0)::bigint,
                   ARRAY(SELECT {KeyText("r", key)} FROM duplicated AS r ORDER BY {columns} LIMIT {sampleSize})
            """;
    }

    /// <summary>Rows where any of <paramref name="nullable"/> is NULL, and the <paramref name="key"/> of the first of them.</summary>
    public static string NullRows(string table, IReadOnlyList<string> nullable, IReadOnlyList<string> key, int sampleSize)
    {
        var predicate = Joined("r", nullable, "IS NULL", " OR ");
        var sample = key.Count == 0
            ? "ARRAY[]::text[]"
            : $"ARRAY(SELECT {KeyText("r", key)} FROM {table} AS r WHERE {predicate} ORDER BY {List("r", key)} LIMIT {sampleSize})";
        return $"""
            SELECT (SELECT count(*) FROM {table} AS r WHERE {predicate}),
                   {sample}
            """;
    }

    /// <summary>
    /// Rows whose foreign key columns are all set (MATCH SIMPLE: a NULL column exempts the row) yet match no
    /// referenced row, and the first distinct foreign key values without one.
    /// </summary>
    public static string Orphans(string table, IReadOnlyList<string> columns, string referencedTable, IReadOnlyList<string> referencedColumns, int sampleSize)
    {
        var match = string.Join(" AND ", columns.Select((c, i) => $"p.{PgIdentifier.Quote(referencedColumns[i])} = r.{PgIdentifier.Quote(c)}"));
        var list = List("r", columns);
        return $"""
            WITH orphaned AS (
                SELECT {list} FROM {table} AS r
                WHERE {Joined("r", columns, "IS NOT NULL", " AND ")}
                  AND NOT EXISTS (SELECT 1 FROM {referencedTable} AS p WHERE {match}))
            SELECT (SELECT count(*) FROM orphaned),
                   ARRAY(SELECT {KeyText("r", columns)} FROM (SELECT DISTINCT * FROM orphaned) AS r ORDER BY {list} LIMIT {sampleSize})
            """;
    }

    /// <summary>A key as text: <c>42</c>, or <c>(7, EU)</c> for several columns; NULL as <c>NULL</c>.</summary>
    private static string KeyText(string alias, IReadOnlyList<string> key)
    {
        var parts = key.Select(c => $"coalesce({alias}.{PgIdentifier.Quote(c)}::text, 'NULL')").ToList();
        return parts.Count == 1 ? parts[0] : $"'(' || concat_ws(', ', {string.Join(", ", parts)}) || ')'";
    }

    private static string List(string alias, IReadOnlyList<string> columns) =>
        string.Join(", ", columns.Select(c => $"{alias}.{PgIdentifier.Quote(c)}"));

    private static string Joined(string alias, IReadOnlyList<string> columns, string test, string separator) =>
        string.Join(separator, columns.Select(c => $"{alias}.{PgIdentifier.Quote(c)} {test}"));
}
