using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// One table as the keyed comparison reads it: its copied columns with the load's conversions, its key
/// (uniqueness_columns, matched to the source columns that fill them; none for a table without them, whose
/// rows are then keyed by their hash), and the SQL that streams rows or keys of a range from either side in
/// the one order <see cref="KeyedValueOrder"/> merges by.
/// </summary>
public sealed class KeyedTable
{
    private static readonly HashSet<string> TextTypes = new(StringComparer.Ordinal) { "text", "varchar", "bpchar", "name" };

    private readonly SnowflakeSource _source;
    private readonly NpgsqlDataSource _target;

    private KeyedTable(SnowflakeSource source, NpgsqlDataSource target, SourceConfig sourceConfig, TableConfig config,
        IReadOnlyList<string> sourceColumns, IReadOnlyList<ColumnConversion> conversions, IReadOnlyList<int> keyIndexes)
    {
        _source = source;
        _target = target;
        Config = config;
        TargetSchema = sourceConfig.TargetPgSchema;
        SourceTable = new SnowflakeTableName(sourceConfig.SourceSfDatabase, sourceConfig.SourceSfSchema, config.Source);
        SourceColumns = sourceColumns;
        Conversions = conversions;
        KeyIndexes = keyIndexes;
    }

    public TableConfig Config { get; }

    public string TargetSchema { get; }

    /// <summary>schema.table on the target, for messages.</summary>
    public string Name => $"{TargetSchema}.{Config.Target}";

    public SnowflakeTableName SourceTable { get; }

    public IReadOnlyList<string> SourceColumns { get; }

    public IReadOnlyList<ColumnConversion> Conversions { get; }

    /// <summary>Positions of the key columns among <see cref="SourceColumns"/>; empty when rows are keyed by their hash.</summary>
    public IReadOnlyList<int> KeyIndexes { get; }

    public bool HasKey => KeyIndexes.Count > 0;

    /// <summary>The key's target column names (empty without a key).</summary>
    public IReadOnlyList<string> KeyNames => KeyIndexes.Select(i => Conversions[i].Column.Name).ToList();

    /// <summary>The quoted target table.</summary>
    public string TargetQuoted => PgIdentifier.Quote(TargetSchema, Config.Target);

    /// <summary>The table's scope on the source: its source_filter, or every row.</summary>
    public string SourceScope => ChunkPredicates.SourceFilter(Config.SourceFilter, Config.Source) ?? ChunkPredicates.All;

    /// <summary>SFPG4431 when a uniqueness column is not filled from the source.</summary>
    public static async Task<KeyedTable> ResolveAsync(
        SnowflakeSource source, NpgsqlDataSource target, SourceConfig sourceConfig, TableConfig table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sourceConfig);
        ArgumentNullException.ThrowIfNull(table);
        var columns = await TableColumns.ResolveAsync(source, target, sourceConfig, table, cancellationToken).ConfigureAwait(false);

        var conversions = columns.Conversions();
        var keyIndexes = new List<int>();
        foreach (var key in table.UniquenessColumns)
        {
            var index = conversions.ToList().FindIndex(c => string.Equals(c.Column.Name, key, StringComparison.Ordinal));
            if (index < 0)
            {
                throw new SfPgException(
                    ErrorCatalog.KeyedKeyNotCopied,
                    $"Table {sourceConfig.TargetPgSchema}.{table.Target}: uniqueness column \"{key}\" is not filled from any column of source table {table.Source}, " +
                    "so its keys cannot be compared with the source's.",
                    target: $"{sourceConfig.TargetPgSchema}.{table.Target}.{key}",
                    recommendedAction: null);
            }

            keyIndexes.Add(index);
        }

        return new KeyedTable(source, target, sourceConfig, table, columns.SourceColumns, conversions, keyIndexes);
    }

    /// <summary>Source rows of a range: every copied column (or the key's only), in key order when there is a key.</summary>
    internal string SourceSelect(string predicate, bool keysOnly)
    {
        var columns = keysOnly ? KeyIndexes.Select(i => SourceColumns[i]).ToList() : SourceColumns;
        return SnowflakeSql.Select(SourceTable, columns, predicate, orderByKeys: HasKey ? KeyIndexes.Select(i => SourceColumns[i]).ToList() : null);
    }

    /// <summary>Target rows of a range, read as the load's conversions produce them, in the same order as <see cref="SourceSelect"/>.</summary>
    internal string TargetSelect(string predicate, bool keysOnly, IReadOnlyList<string>? extraColumns = null)
    {
        var indexes = keysOnly ? KeyIndexes : Enumerable.Range(0, Conversions.Count).ToList();
        // Output columns get names of their own, so ORDER BY's names always mean the table's columns.
        var expressions = indexes.Select(i => TableVerifier.ReadExpression(Conversions[i])).Concat(extraColumns ?? []);
        var list = string.Join(", ", expressions.Select((e, i) => $"{e} AS sfpg_{i.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

        var order = HasKey ? " ORDER BY " + string.Join(", ", KeyIndexes.Select(i => OrderedKey(Conversions[i].Column) + " ASC NULLS LAST")) : string.Empty;
        return $"SELECT {list} FROM {TargetQuoted} WHERE {predicate}{order}";
    }

    /// <summary>A target column as the comparison orders and splits it: text byte-wise, as Snowflake's default collation.</summary>
    internal static string OrderedKey(TargetColumn column) =>
        TextTypes.Contains(column.TypeName) ? $"({PgIdentifier.Quote(column.Name)} COLLATE \"C\")" : PgIdentifier.Quote(column.Name);

    /// <summary>Source rows converted as the load converts them (JSON in canonical form), so equal rows hash equal.</summary>
    internal async IAsyncEnumerable<object?[]> SourceRowsAsync(
        string predicate, bool keysOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var indexes = keysOnly ? KeyIndexes : Enumerable.Range(0, Conversions.Count).ToList();
        await foreach (var raw in _source.QueryAsync(SourceSelect(predicate, keysOnly), cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[indexes.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Canonical(raw[i] is { } value ? Conversions[indexes[i]].Convert(value) : null, Conversions[indexes[i]]);
            }

            yield return row;
        }
    }

    /// <summary>Target rows of a range; with <paramref name="extraColumns"/> (SQL expressions), their values at the end of each row, read as they are.</summary>
    internal async IAsyncEnumerable<object?[]> TargetRowsAsync(
        KeyedRange range, bool keysOnly, [EnumeratorCancellation] CancellationToken cancellationToken, IReadOnlyList<string>? extraColumns = null)
    {
        var indexes = keysOnly ? KeyIndexes : Enumerable.Range(0, Conversions.Count).ToList();
        var connection = await _target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(TargetSelect(range.TargetPredicate, keysOnly, extraColumns), connection) { CommandTimeout = 0 };
            range.Bind(command.Parameters);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var extras = extraColumns?.Count ?? 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var row = new object?[indexes.Count + extras];
                    for (var i = 0; i < indexes.Count; i++)
                    {
                        var conversion = Conversions[indexes[i]];
                        row[i] = Canonical(reader.IsDBNull(i) ? null : TableVerifier.Read(reader, i, conversion.DbType), conversion);
                    }

                    for (var i = indexes.Count; i < row.Length; i++)
                    {
                        row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    yield return row;
                }
            }
        }
    }

    /// <summary>Rows of a range on the source (Snowflake counts them).</summary>
    internal async Task<long> SourceCountAsync(string predicate, CancellationToken cancellationToken)
    {
        await foreach (var row in _source.QueryAsync(SnowflakeSql.Count(SourceTable, null, predicate), cancellationToken).ConfigureAwait(false))
        {
            return Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        return 0;
    }

    /// <summary>Rows of a range on the target (PostgreSQL counts them).</summary>
    internal async Task<long> TargetCountAsync(KeyedRange range, CancellationToken cancellationToken)
    {
        var connection = await _target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand($"SELECT count(*) FROM {TargetQuoted} WHERE {range.TargetPredicate}", connection) { CommandTimeout = 0 };
            range.Bind(command.Parameters);
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    internal NpgsqlDataSource Target => _target;

    internal SnowflakeSource Source => _source;

    private static object? Canonical(object? value, ColumnConversion conversion) =>
        value is string json && conversion.DbType is NpgsqlDbType.Json or NpgsqlDbType.Jsonb ? CanonicalJson.Normalize(json) : value;
}
