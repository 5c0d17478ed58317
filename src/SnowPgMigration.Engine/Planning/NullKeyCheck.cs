using System.Globalization;
using System.Text;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Planning;

/// <summary>
/// Refuses an upsert or insert-only table whose planned rows have a NULL uniqueness column, before
/// anything is written. ON CONFLICT never matches NULL keys, and one chunk keeps only one of its
/// NULL-key rows, so such rows would be added again on every run while others were dropped.
/// </summary>
/// <remarks>One statement per table: a count of NULLs per key column over the planned scope.</remarks>
public sealed class NullKeyCheck(ISourceQuery source)
{
    /// <param name="table">The source table.</param>
    /// <param name="scope">The planned scope (source filter and watermark pre-filter), or null for every row.</param>
    /// <param name="keyColumns">The uniqueness columns as the source names them.</param>
    /// <param name="target">The target table, for the message.</param>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.NullUniquenessKeys"/> naming the table, each NULL column and its count.</exception>
    public async Task RefuseNullKeysAsync(
        SnowflakeTableName table, string? scope, IReadOnlyList<string> keyColumns, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keyColumns);
        if (keyColumns.Count == 0)
        {
            return;
        }

        var sql = new StringBuilder("SELECT ");
        foreach (var column in keyColumns)
        {
            sql.Append("SUM(CASE WHEN ").Append(SnowflakeIdentifier.Quote(column)).Append(" IS NULL THEN 1 ELSE 0 END), ");
        }

        sql.Append("SUM(CASE WHEN ")
            .Append(string.Join(" OR ", keyColumns.Select(c => SnowflakeIdentifier.Quote(c) + " IS NULL")))
            .Append(" THEN 1 ELSE 0 END) FROM ").Append(table.Quoted).Append(" WHERE ").Append(scope ?? ChunkPredicates.All);

        object?[]? counts = null;
        await foreach (var row in source.QueryAsync(sql.ToString(), cancellationToken).ConfigureAwait(false))
        {
            counts = row;
        }

        var rows = Count(counts?[keyColumns.Count]);
        if (rows == 0)
        {
            return;
        }

        var perColumn = keyColumns
            .Select((column, i) => (Column: column, Rows: Count(counts![i])))
            .Where(c => c.Rows > 0)
            .Select(c => $"\"{c.Column}\" in {c.Rows.ToString("N0", CultureInfo.InvariantCulture)}");
        throw new SfPgException(
            ErrorCatalog.NullUniquenessKeys,
            $"Table {table} -> {target}: {rows.ToString("N0", CultureInfo.InvariantCulture)} row(s) to load have a NULL uniqueness column " +
            $"({string.Join(", ", perColumn)} row(s)); an upsert cannot match NULL keys, so nothing was written.",
            target: target,
            recommendedAction: null);
    }

    private static long Count(object? value) => value is null ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
