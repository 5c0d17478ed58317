using System.Text;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Writes a stream of source rows into one target table inside the caller's transaction, so the
/// caller can commit the rows together with the chunk's status. Rows stream through binary COPY;
/// nothing is held in memory beyond the row being written and a 64 kB buffer of encoded rows.
/// </summary>
public sealed class TargetTableWriter
{
    private readonly string _table;
    private readonly IReadOnlyList<ColumnConversion> _columns;
    private readonly int[] _sourceIndexes;
    private readonly string _copyColumns;

    /// <param name="columns">Target columns to write, in the order of <paramref name="sourceIndexes"/>.</param>
    /// <param name="sourceIndexes">For each target column, the index of its value in a source row.</param>
    /// <param name="uniquenessColumns">Target columns ON CONFLICT matches on (upsert and insert-only).</param>
    /// <param name="watermarkColumn">Target column that decides whether an incoming row is newer, or null.</param>
    public TargetTableWriter(
        string schema,
        string table,
        LoadMethod method,
        IReadOnlyList<ColumnConversion> columns,
        IReadOnlyList<int> sourceIndexes,
        IReadOnlyList<string> uniquenessColumns,
        string? watermarkColumn)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(uniquenessColumns);
        if (method != LoadMethod.Copy && uniquenessColumns.Count == 0)
        {
            throw new ArgumentException("Upsert and insert-only loads need uniqueness columns.", nameof(uniquenessColumns));
        }

        Schema = schema;
        Table = table;
        Method = method;
        _table = PgIdentifier.Quote(schema, table);
        _columns = columns;
        _sourceIndexes = sourceIndexes.ToArray();
        _copyColumns = string.Join(", ", columns.Select(c => PgIdentifier.Quote(c.Column.Name)));
        MergeSql = method == LoadMethod.Copy ? null : BuildMergeSql(columns, uniquenessColumns, watermarkColumn, method);
    }

    public string Schema { get; }

    public string Table { get; }

    public LoadMethod Method { get; }

    /// <summary>The target columns written, in the order of the source indexes given to the constructor.</summary>
    public IReadOnlyList<ColumnConversion> Columns => _columns;

    /// <summary>The statement that moves staged rows into the table; null for plain COPY.</summary>
    public string? MergeSql { get; }

    private const string StageTable = "sfpg_stage";

    /// <summary>Writes <paramref name="rows"/> and returns how many were read and their checksum.</summary>
    /// <exception cref="SfPgException">SFPG2112-SFPG2117 when PostgreSQL refuses a value, naming its column and an excerpt of it.</exception>
    public Task<RowChecksum> WriteAsync(
        NpgsqlConnection connection,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken) =>
        WriteAsync(connection, rows, WriteValues, cancellationToken);

    /// <summary>
    /// Writes rows as the source decoded them (each valid until the next is read): values whose columns convert them
    /// plainly go from their typed cells straight into the COPY and the checksum, unboxed.
    /// </summary>
    internal Task<RowChecksum> WriteAsync(
        NpgsqlConnection connection,
        IAsyncEnumerable<SnowflakeRow> rows,
        CancellationToken cancellationToken) =>
        WriteAsync(connection, rows, WriteDecoded, cancellationToken);

    /// <summary>Writes one row into the COPY and returns its hash (<see cref="RowChecksum.Start"/>, then one Next per column).</summary>
    private delegate ulong RowWrite<in TRow>(ICopyRowSink sink, DecodedValueWriter? direct, TRow row);

    private async Task<RowChecksum> WriteAsync<TRow>(
        NpgsqlConnection connection,
        IAsyncEnumerable<TRow> rows,
        RowWrite<TRow> writeRow,
        CancellationToken cancellationToken)
    {
        try
        {
            return await WriteRowsAsync(connection, rows, writeRow, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (TargetDataError.From(ex, Schema, Table) is { } refused)
        {
            throw refused;
        }
    }

    private async Task<RowChecksum> WriteRowsAsync<TRow>(
        NpgsqlConnection connection,
        IAsyncEnumerable<TRow> rows,
        RowWrite<TRow> writeRow,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        var target = _table;
        if (Method != LoadMethod.Copy)
        {
            using var stage = new NpgsqlCommand(
                $"DROP TABLE IF EXISTS pg_temp.{StageTable}; " +
                $"CREATE TEMP TABLE {StageTable} ON COMMIT DROP AS SELECT {_copyColumns} FROM {_table} WITH NO DATA",
                connection);
            await stage.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            target = "pg_temp." + StageTable;
        }

        var checksum = new RowChecksum();
        var copy = $"COPY {target} ({_copyColumns}) FROM STDIN (FORMAT BINARY)";
        ICopyRowSink sink = _columns.All(c => BinaryCopyRowSink.Supports(c.DbType))
            ? await BinaryCopyRowSink.BeginAsync(connection, copy, _columns.Count, cancellationToken).ConfigureAwait(false)
            : await ImporterCopyRowSink.BeginAsync(connection, copy, cancellationToken).ConfigureAwait(false);
        await using (sink.ConfigureAwait(false))
        {
            using var direct = sink is BinaryCopyRowSink binary ? new DecodedValueWriter(binary) : null;
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                // Synchronous per row and value: they fill a buffer that reaches the socket only when full.
                checksum.AddRow(writeRow(sink, direct, row), _columns.Count);
            }

            await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        if (MergeSql is not null)
        {
            using var merge = new NpgsqlCommand(MergeSql, connection) { CommandTimeout = 0 };
            await merge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            using var drop = new NpgsqlCommand($"DROP TABLE pg_temp.{StageTable}", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return checksum;
    }

    private ulong WriteValues(ICopyRowSink sink, DecodedValueWriter? direct, object?[] row)
    {
        sink.StartRow();
        var hash = RowChecksum.Start();
        for (var i = 0; i < _columns.Count; i++)
        {
            hash = WriteValue(sink, i, row[_sourceIndexes[i]], hash);
        }

        return hash;
    }

    private ulong WriteDecoded(ICopyRowSink sink, DecodedValueWriter? direct, SnowflakeRow row)
    {
        sink.StartRow();
        var hash = RowChecksum.Start();
        for (var i = 0; i < _columns.Count; i++)
        {
            var source = _sourceIndexes[i];
            if (direct is null || !direct.TryWrite(_columns[i], row, source, ref hash))
            {
                hash = WriteValue(sink, i, row.ValueOf(source), hash);
            }
        }

        return hash;
    }

    /// <summary>Converts one value for column <paramref name="index"/>, writes it and returns the row's hash with it.</summary>
    private ulong WriteValue(ICopyRowSink sink, int index, object? value, ulong hash)
    {
        if (value is null)
        {
            sink.WriteNull();
            return RowChecksum.Next(hash, null);
        }

        var conversion = _columns[index];
        object written;
        try
        {
            written = conversion.Convert(value);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException or ArgumentException)
        {
            var code = ex is ValueNarrowingException ? ErrorCatalog.ValueDoesNotFitTarget : ErrorCatalog.ValueConversionFailed;
            // The code and its advice travel in the text (a chunk's status keeps only the message), once.
            var advice = ex.Message.Contains("[SFPG", StringComparison.Ordinal) ? "" : $" [{code.Code}: {code.RecommendedAction}]";
            throw new SfPgException(
                code,
                $"Table {Schema}.{Table}, column \"{conversion.Column.Name}\" ({conversion.Column.DisplayType}): cannot convert {Preview(value)}: {ex.Message}{advice}",
                target: $"{Schema}.{Table}.{conversion.Column.Name}",
                recommendedAction: null,
                ex);
        }

        sink.Write(written, conversion.DbType);
        return RowChecksum.Next(hash, written);
    }

    /// <summary>
    /// Deletes the table's rows in <paramref name="range"/> inside the caller's transaction, before a
    /// re-loaded chunk writes them again, so a chunk's rows are replaced rather than doubled.
    /// </summary>
    /// <returns>How many rows were deleted.</returns>
    public async Task<int> DeleteRangeAsync(NpgsqlConnection connection, TargetChunkRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(range);
        using var delete = new NpgsqlCommand($"DELETE FROM {_table} WHERE {range.Predicate}", connection) { CommandTimeout = 0 };
        range.Bind(delete.Parameters);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private string BuildMergeSql(
        IReadOnlyList<ColumnConversion> columns, IReadOnlyList<string> uniquenessColumns, string? watermarkColumn, LoadMethod method)
    {
        var keys = string.Join(", ", uniquenessColumns.Select(PgIdentifier.Quote));
        var order = keys + (watermarkColumn is null ? "" : $", {PgIdentifier.Quote(watermarkColumn)} DESC NULLS LAST");
        var sql = new StringBuilder()
            .Append("INSERT INTO ").Append(_table).Append(" AS t (").Append(_copyColumns).Append(") ")
            // A chunk may carry the same key twice (the source has no unique constraint); the newest wins.
            .Append("SELECT DISTINCT ON (").Append(keys).Append(") ").Append(_copyColumns)
            .Append(" FROM pg_temp.").Append(StageTable).Append(" ORDER BY ").Append(order)
            .Append(" ON CONFLICT (").Append(keys).Append(") ");

        var updatable = columns.Select(c => c.Column.Name).Where(n => !uniquenessColumns.Contains(n)).ToList();
        if (method == LoadMethod.InsertOnly || updatable.Count == 0)
        {
            return sql.Append("DO NOTHING").ToString();
        }

        var targets = string.Join(", ", updatable.Select(PgIdentifier.Quote));
        var incoming = string.Join(", ", updatable.Select(n => "EXCLUDED." + PgIdentifier.Quote(n)));
        var current = string.Join(", ", updatable.Select(n => "t." + PgIdentifier.Quote(n)));
        sql.Append("DO UPDATE SET (").Append(targets).Append(") = ROW(").Append(incoming).Append(") WHERE ");
        if (watermarkColumn is not null)
        {
            var wm = PgIdentifier.Quote(watermarkColumn);
            sql.Append("(t.").Append(wm).Append(" IS NULL OR EXCLUDED.").Append(wm).Append(" > t.").Append(wm).Append(')');
        }
        else
        {
            sql.Append('(').Append(current).Append(") IS DISTINCT FROM (").Append(incoming).Append(')');
        }

        return sql.ToString();
    }

    private static string Preview(object value)
    {
        var text = value is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return $"'{(text.Length > 80 ? text[..80] + "..." : text)}' ({value.GetType().Name})";
    }
}
