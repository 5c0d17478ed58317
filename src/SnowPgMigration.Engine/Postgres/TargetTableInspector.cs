using Npgsql;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>Reads what the target database knows about a table: columns, row presence, unique keys.</summary>
public static class TargetTableInspector
{
    /// <summary>The table's columns in order, or an empty list when the table does not exist.</summary>
    public static async Task<IReadOnlyList<TargetColumn>> ColumnsAsync(
        NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.attname, t.typname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated = ''
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = CASE WHEN (SELECT typtype FROM pg_type WHERE oid = a.atttypid) = 'd'
                                           THEN (SELECT typbasetype FROM pg_type WHERE oid = a.atttypid)
                                           ELSE a.atttypid END
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """;
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(PgIdentifier.Quote(schema, table));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var columns = new List<TargetColumn>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add(new TargetColumn(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetBoolean(4)));
            }

            return columns;
        }
    }

    /// <summary>True when the table has at least one row (cheap: stops at the first).</summary>
    public static async Task<bool> HasRowsAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {PgIdentifier.Quote(schema, table)})", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// True when a unique index or constraint covers exactly <paramref name="columns"/> (in any order),
    /// which ON CONFLICT needs as its arbiter.
    /// </summary>
    public static async Task<bool> HasUniqueKeyAsync(
        NpgsqlConnection connection, string schema, string table, IReadOnlyCollection<string> columns, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT EXISTS (
              SELECT 1 FROM pg_index i
              WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
                AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
                     FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey))
                    = (SELECT array_agg(c ORDER BY c) FROM unnest($2::text[]) c))
            """;
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(PgIdentifier.Quote(schema, table));
        command.Parameters.AddWithValue(columns.ToArray());
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The largest value of <paramref name="column"/>, or null for an empty table.</summary>
    public static async Task<object?> MaxAsync(NpgsqlConnection connection, string schema, string table, string column, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand($"SELECT MAX({PgIdentifier.Quote(column)}) FROM {PgIdentifier.Quote(schema, table)}", connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }
}
