using Microsoft.Extensions.Logging;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// Checks the configured target tables for what a copy alone cannot rule out: duplicate and NULL keys over
/// <c>uniqueness_columns</c>, NULL watermarks, and rows whose foreign key - declared in the target or in the
/// config's <c>references</c> - has no referenced row. Every check is one statement in PostgreSQL that returns a
/// count and a few sample keys; the source is never read.
/// </summary>
public sealed class IntegrityChecker
{
    /// <summary>Sample keys reported per check.</summary>
    public const int SampleSize = 5;

    private const string ApplicationName = "SnowPgMigration.Integrity";

    private readonly MigrationConfig _config;
    private readonly IntegrityOptions _options;
    private readonly ILogger _logger;

    public IntegrityChecker(MigrationConfig config, IntegrityOptions options, IEngineReporter? reporter = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        _config = config;
        _options = options;
        _logger = (reporter ?? EngineReporter.None).LoggerFactory.CreateLogger<IntegrityChecker>();
    }

    /// <summary>One report per selected table, in config order; a table that cannot be checked carries its error and the others go on.</summary>
    /// <exception cref="SfPgException"><see cref="ErrorCatalog.IntegrityNothingToCheck"/> when no table matches the options.</exception>
    public async Task<IReadOnlyList<IntegrityTableReport>> CheckAsync(CancellationToken cancellationToken)
    {
        var selected = TableSelection.Select(_config, _options.Source, _options.Table);
        if (selected.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.IntegrityNothingToCheck,
                $"Nothing to check: {TableSelection.NothingSelected(_config, _options.Source, _options.Table)}.",
                target: _options.Table ?? _options.Source,
                recommendedAction: null);
        }

        var reports = new List<IntegrityTableReport>();
        foreach (var (source, tables) in selected)
        {
            var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(_config.Postgres, source.TargetPgDatabase, ApplicationName));
            await using (dataSource.ConfigureAwait(false))
            {
                var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    foreach (var table in tables)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        reports.Add(await CheckTableAsync(connection, source, table, cancellationToken).ConfigureAwait(false));
                    }
                }
            }
        }

        return reports;
    }

    private async Task<IntegrityTableReport> CheckTableAsync(NpgsqlConnection connection, SourceConfig source, TableConfig table, CancellationToken cancellationToken)
    {
        var schema = source.TargetPgSchema;
        var report = new IntegrityTableReport { SourceName = source.SourceName, Schema = schema, Table = table.Target };
        EngineLog.CheckingIntegrity(_logger, schema, table.Target, source.SourceName);
        try
        {
            return report with { Findings = await FindingsAsync(connection, source, table, cancellationToken).ConfigureAwait(false) };
        }
        catch (SfPgException ex)
        {
            return report with { Error = ex };
        }
    }

    private static async Task<List<IntegrityFinding>> FindingsAsync(NpgsqlConnection connection, SourceConfig source, TableConfig table, CancellationToken cancellationToken)
    {
        var schema = source.TargetPgSchema;
        var columns = await ColumnsAsync(connection, schema, table.Target, cancellationToken).ConfigureAwait(false);
        if (columns.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.IntegrityTableMissing,
                $"Table {schema}.{table.Target} (source {source.SourceName}) does not exist in database {source.TargetPgDatabase}, so its integrity cannot be checked.",
                target: table.Target,
                recommendedAction: null);
        }

        RequireColumns(source, table.Target, columns, table.UniquenessColumns, "uniqueness_columns");
        RequireColumns(source, table.Target, columns, table.TargetWatermark is null ? [] : [table.TargetWatermark], "target_watermark");
        var relationships = await RelationshipsAsync(connection, source, table, columns, cancellationToken).ConfigureAwait(false);

        var qualified = PgIdentifier.Quote(schema, table.Target);
        var findings = new List<IntegrityFinding>();
        IntegrityFinding Finding(IntegrityCheck check, IReadOnlyList<string> checkedColumns, (long Count, string[] Sample) result) => new()
        {
            SourceName = source.SourceName,
            Schema = schema,
            Table = table.Target,
            Check = check,
            Columns = checkedColumns,
            Count = result.Count,
            SampleKeys = result.Sample,
        };

        var key = table.UniquenessColumns;
        if (key.Count > 0)
        {
            findings.Add(Finding(IntegrityCheck.DuplicateKeys, key,
                await CountAsync(connection, IntegritySql.DuplicateKeys(qualified, key, SampleSize), cancellationToken).ConfigureAwait(false)));
            findings.Add(Finding(IntegrityCheck.NullKeys, key,
                await CountAsync(connection, IntegritySql.NullRows(qualified, key, key, SampleSize), cancellationToken).ConfigureAwait(false)));
        }

        if (table.TargetWatermark is { } watermark)
        {
            findings.Add(Finding(IntegrityCheck.NullWatermarks, [watermark],
                await CountAsync(connection, IntegritySql.NullRows(qualified, [watermark], key, SampleSize), cancellationToken).ConfigureAwait(false)));
        }

        foreach (var relationship in relationships)
        {
            var sql = IntegritySql.Orphans(qualified, relationship.Columns,
                PgIdentifier.Quote(relationship.ReferencedSchema, relationship.ReferencedTable), relationship.ReferencedColumns, SampleSize);
            (long, string[]) result;
            try
            {
                result = await CountAsync(connection, sql, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedFunction or PostgresErrorCodes.DatatypeMismatch)
            {
                throw new SfPgException(
                    ErrorCatalog.IntegrityColumnsNotComparable,
                    $"Relationship {relationship.Name} ({relationship.Describe(table.Target)}, declared in the {relationship.DeclaredIn}) of source {source.SourceName} compares columns PostgreSQL cannot compare: {ex.MessageText}.",
                    target: table.Target,
                    recommendedAction: null,
                    ex);
            }

            findings.Add(Finding(IntegrityCheck.OrphanedForeignKeys, relationship.Columns, result) with
            {
                Constraint = relationship.Name,
                Relationship = relationship.Describe(table.Target),
                DeclaredIn = relationship.DeclaredIn,
            });
        }

        return findings;
    }

    /// <summary>The foreign keys declared in the target, then the config's references (their columns checked to exist).</summary>
    private static async Task<List<IntegrityRelationship>> RelationshipsAsync(
        NpgsqlConnection connection, SourceConfig source, TableConfig table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var relationships = new List<IntegrityRelationship>();
        using (var command = new NpgsqlCommand(IntegritySql.ForeignKeys, connection) { CommandTimeout = 0 })
        {
            command.Parameters.AddWithValue(source.TargetPgSchema);
            command.Parameters.AddWithValue(table.Target);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    relationships.Add(new IntegrityRelationship(
                        reader.GetString(0),
                        IntegrityRelationship.InTarget,
                        reader.GetFieldValue<string[]>(3),
                        reader.GetString(1),
                        reader.GetString(2),
                        reader.GetFieldValue<string[]>(4)));
                }
            }
        }

        foreach (var reference in table.References)
        {
            var setting = $"{reference.Path}.columns";
            RequireColumns(source, table.Target, columns, reference.Columns, setting);
            var referencedColumns = await ColumnsAsync(connection, source.TargetPgSchema, reference.Table, cancellationToken).ConfigureAwait(false);
            if (referencedColumns.Count == 0)
            {
                throw new SfPgException(
                    ErrorCatalog.IntegrityTableMissing,
                    $"Table {source.TargetPgSchema}.{reference.Table}, which {table.Target} references ({reference.Path}), does not exist in database {source.TargetPgDatabase}.",
                    target: reference.Table,
                    recommendedAction: null);
            }

            RequireColumns(source, reference.Table, referencedColumns, reference.ReferencedColumns, $"{reference.Path}.referenced_columns");
            relationships.Add(new IntegrityRelationship(
                reference.Name ?? reference.Path,
                IntegrityRelationship.InConfig,
                reference.Columns,
                source.TargetPgSchema,
                reference.Table,
                reference.ReferencedColumns));
        }

        return relationships;
    }

    private static void RequireColumns(SourceConfig source, string table, IReadOnlyList<string> columns, IReadOnlyList<string> named, string setting)
    {
        foreach (var name in named.Where(n => !columns.Contains(n, StringComparer.Ordinal)))
        {
            var sameButCase = columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            throw new SfPgException(
                ErrorCatalog.IntegrityColumnMissing,
                $"Column '{name}' ({setting}) is not a column of {source.TargetPgSchema}.{table} (source {source.SourceName})"
                + (sameButCase is null ? $"; its columns are: {string.Join(", ", columns)}." : $"; did you mean '{sameButCase}'? Names are case-sensitive."),
                target: table,
                recommendedAction: null);
        }
    }

    private static async Task<List<string>> ColumnsAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(IntegritySql.Columns, connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(table);
        var columns = new List<string>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add(reader.GetString(0));
            }
        }

        return columns;
    }

    private static async Task<(long Count, string[] Sample)> CountAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return (reader.GetInt64(0), reader.GetFieldValue<string[]>(1));
        }
    }
}
