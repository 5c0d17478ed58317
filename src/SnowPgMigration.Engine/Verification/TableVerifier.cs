using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// Proves a table arrived whole: streams every source row (in the table's source_filter) through the
/// same conversions the load uses, streams every target row, and compares counts and order-independent
/// checksums. Memory stays flat: both sides stream.
/// </summary>
public sealed class TableVerifier(SnowflakeSource source, NpgsqlDataSource target)
{
    public async Task<TableVerification> VerifyAsync(
        SourceConfig sourceConfig, TableConfig table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceConfig);
        ArgumentNullException.ThrowIfNull(table);
        var sourceTable = new SnowflakeTableName(sourceConfig.SourceSfDatabase, sourceConfig.SourceSfSchema, table.Source);
        var columns = await TableColumns.ResolveAsync(source, target, sourceConfig, table, cancellationToken).ConfigureAwait(false);

        var conversions = columns.Conversions();
        var filter = Planning.ChunkPredicates.SourceFilter(table.SourceFilter, table.Source) ?? Planning.ChunkPredicates.All;
        var sourceSql = SnowflakeSql.Select(sourceTable, columns.SourceColumns, filter);
        var sourceSide = await ChecksumAsync(source.QueryAsync(sourceSql, cancellationToken), conversions, convert: true, cancellationToken).ConfigureAwait(false);

        var targetSql = $"SELECT {string.Join(", ", conversions.Select(ReadExpression))} FROM {PgIdentifier.Quote(sourceConfig.TargetPgSchema, table.Target)}";
        var targetSide = await ChecksumAsync(ReadTargetAsync(target, targetSql, conversions, bind: null, cancellationToken), conversions, convert: false, cancellationToken).ConfigureAwait(false);
        return new TableVerification($"{sourceConfig.TargetPgSchema}.{table.Target}", sourceSide, targetSide);
    }

    /// <summary>Count and checksum of rows; source rows go through the load's conversions first (<paramref name="convert"/>).</summary>
    internal static async Task<TableChecksum> ChecksumAsync(
        IAsyncEnumerable<object?[]> rows, IReadOnlyList<ColumnConversion> conversions, bool convert, CancellationToken cancellationToken)
    {
        var checksum = new RowChecksum();
        var values = new object?[conversions.Count];
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            for (var i = 0; i < values.Length; i++)
            {
                var value = row[i];
                if (value is not null && convert)
                {
                    value = conversions[i].Convert(value);
                }

                values[i] = value is string json && conversions[i].DbType is NpgsqlDbType.Json or NpgsqlDbType.Jsonb
                    ? CanonicalJson.Normalize(json)
                    : value;
            }

            checksum.AddRow(values);
        }

        return new TableChecksum(checksum.Rows, checksum.Value);
    }

    /// <summary>
    /// numeric is read as text: it may exceed decimal's range, and text keeps its scale. PostGIS values are read as the
    /// EWKB their load wrote (<see cref="GeoJsonToEwkb"/>).
    /// </summary>
    internal static string ReadExpression(ColumnConversion conversion) => conversion switch
    {
        { Column.TypeName: "geometry" or "geography" } => $"ST_AsEWKB({PgIdentifier.Quote(conversion.Column.Name)}::geometry, 'NDR')",
        { DbType: NpgsqlDbType.Numeric or NpgsqlDbType.Json or NpgsqlDbType.Jsonb } => PgIdentifier.Quote(conversion.Column.Name) + "::text",
        _ => PgIdentifier.Quote(conversion.Column.Name),
    };

    /// <summary>Target rows read back as the load's conversions produce them; <paramref name="bind"/> adds the query's parameters.</summary>
    internal static async IAsyncEnumerable<object?[]> ReadTargetAsync(
        NpgsqlDataSource target,
        string sql,
        IReadOnlyList<ColumnConversion> conversions,
        Action<NpgsqlParameterCollection>? bind,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            bind?.Invoke(command.Parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var row = new object?[conversions.Count];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : Read(reader, i, conversions[i].DbType);
                    }

                    yield return row;
                }
            }
        }
    }

    /// <summary>Reads a target value as the same .NET type the load's conversion produces.</summary>
    internal static object Read(NpgsqlDataReader reader, int ordinal, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Numeric => ParseNumeric(reader.GetString(ordinal)),
        NpgsqlDbType.Date => reader.GetFieldValue<DateOnly>(ordinal),
        NpgsqlDbType.Time => reader.GetFieldValue<TimeSpan>(ordinal),
        NpgsqlDbType.Timestamp or NpgsqlDbType.TimestampTz => reader.GetFieldValue<DateTime>(ordinal),
        _ => reader.GetValue(ordinal),
    };

    private static object ParseNumeric(string text) => ExactDecimal.Parse(text).ToClrValue();
}
