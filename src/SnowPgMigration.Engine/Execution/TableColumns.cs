using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// How a table's source columns meet its target columns: the source described by a zero-row query,
/// the target's writable columns read, and the two matched. The one place planning, loading and
/// verification resolve columns, so they always agree.
/// </summary>
public sealed class TableColumns
{
    private readonly IReadOnlyList<TargetColumn> _writable;
    private readonly string _table;
    private readonly bool _allowLossy;

    private TableColumns(ColumnMatch match, IReadOnlyList<TargetColumn> writable, string table, IReadOnlyList<ColumnNarrowing> narrowings, bool allowLossy)
    {
        Match = match;
        _writable = writable;
        _table = table;
        Narrowings = narrowings;
        _allowLossy = allowLossy;
    }

    public ColumnMatch Match { get; }

    /// <summary>
    /// With <c>keep_tz_offset</c>: the offset companions the target has for copied TIMESTAMP_TZ columns, each with the
    /// index of its TIMESTAMP_TZ column among <see cref="Match"/>'s pairs. Written after the pairs, not verified by them.
    /// </summary>
    public IReadOnlyList<(ColumnConversion Conversion, int PairIndex)> OffsetCompanions { get; private init; } = [];

    /// <summary>Target columns narrower than their source; empty unless the table allows lossy conversion (otherwise SFPG2110).</summary>
    public IReadOnlyList<ColumnNarrowing> Narrowings { get; }

    /// <summary>The source columns that are copied, in the order of <see cref="Match"/>'s pairs.</summary>
    public IReadOnlyList<string> SourceColumns => Match.Pairs.Select(p => p.Source).ToList();

    /// <summary>The table's columns, read on a connection of their own from <paramref name="target"/>; fails as the overload below.</summary>
    public static async Task<TableColumns> ResolveAsync(
        SnowflakeSource source, NpgsqlDataSource target, SourceConfig sourceConfig, TableConfig table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var connection = await target.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await ResolveAsync(source, connection, sourceConfig, table, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Fails with SFPG2102 when the target table is missing, SFPG2107-SFPG2109 when a mapped, watermark or long
    /// column cannot be placed, and SFPG2105 when no column matches. <paramref name="plannedTarget"/> stands in for the
    /// target's columns in a dry run that would create or change them.
    /// </summary>
    public static async Task<TableColumns> ResolveAsync(
        SnowflakeSource source,
        NpgsqlConnection target,
        SourceConfig sourceConfig,
        TableConfig table,
        CancellationToken cancellationToken,
        IReadOnlyList<TargetColumn>? plannedTarget = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceConfig);
        ArgumentNullException.ThrowIfNull(table);
        var schema = sourceConfig.TargetPgSchema;
        // A dry run resolves against the columns the table would have once created or evolved.
        var targetColumns = plannedTarget ?? await TargetTableInspector.ColumnsAsync(target, schema, table.Target, cancellationToken).ConfigureAwait(false);
        if (targetColumns.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.TargetTableMissing,
                $"Table {schema}.{table.Target} does not exist in database {sourceConfig.TargetPgDatabase} (source {sourceConfig.SourceName}, table {table.Source}).",
                target: $"{schema}.{table.Target}",
                recommendedAction: null);
        }

        var sourceTable = new SnowflakeTableName(sourceConfig.SourceSfDatabase, sourceConfig.SourceSfSchema, table.Source);
        var described = await source.DescribeAsync(sourceTable, cancellationToken).ConfigureAwait(false);
        var writable = targetColumns.Where(c => c.IsWritable).ToList();
        MappedColumnCheck.ThrowIfUnresolved(table, $"{schema}.{table.Target}", described.Select(c => c.Name).ToList(), writable.Select(c => c.Name).ToList());
        var match = ColumnMatcher.Match(described.Select(c => c.Name).ToList(), writable.Select(c => c.Name).ToList(), table.ColumnMapping);
        if (match.Pairs.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.NoMatchingColumns,
                $"Table {table.Source} -> {schema}.{table.Target}: none of the source columns ({string.Join(", ", described.Select(c => c.Name))}) matches a target column.",
                target: table.Target,
                recommendedAction: null);
        }

        var narrowings = TypeNarrowing.Check($"{schema}.{table.Target}", described, writable, match.Pairs, table.AllowLossyConversion);
        var companions = new List<(ColumnConversion, int)>();
        for (var index = 0; table.KeepTimezoneOffset && index < match.Pairs.Count; index++)
        {
            var pair = match.Pairs[index];
            var companion = writable.FirstOrDefault(c => c.Name == TimezoneOffsetColumn.NameFor(pair.Target) && match.UnfilledTargetColumns.Contains(c.Name));
            if (companion is not null && described.FirstOrDefault(c => c.Name == pair.Source)?.Type == SnowflakeDataType.TimestampTz)
            {
                companions.Add((ColumnConversion.OffsetMinutes(companion), index));
            }
        }

        return new TableColumns(match, writable, $"{schema}.{table.Target}", narrowings, table.AllowLossyConversion) { OffsetCompanions = companions };
    }

    /// <summary>The conversion into each matched target column; SFPG2103 for a type that cannot be loaded.</summary>
    public IReadOnlyList<ColumnConversion> Conversions() =>
        Match.Pairs.Select(pair =>
        {
            var column = _writable.Single(c => c.Name == pair.Target);
            return ColumnConversion.For(column, _allowLossy) ?? throw new SfPgException(
                ErrorCatalog.TargetColumnTypeUnsupported,
                $"Table {_table}, column \"{column.Name}\": type {column.DisplayType} cannot be loaded.",
                target: $"{_table}.{column.Name}",
                recommendedAction: null);
        }).ToList();
}
