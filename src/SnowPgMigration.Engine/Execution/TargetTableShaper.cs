using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// What was done (or, in a dry run, would be done) to a target table's shape before planning.
/// </summary>
/// <param name="Statements">The DDL run or to run, in order; empty when the table was left as it was.</param>
/// <param name="CreatesTable">The table was missing and is created from the source's description.</param>
/// <param name="PlannedColumns">In a dry run, the target's columns as they would be after <see cref="Statements"/>; otherwise null.</param>
public sealed record TargetShape(IReadOnlyList<string> Statements, bool CreatesTable, IReadOnlyList<TargetColumn>? PlannedColumns)
{
    public static readonly TargetShape Unchanged = new([], false, null);
}

/// <summary>
/// Creates a missing target table (<c>create_target</c>) and evolves an existing one (<c>schema_evolution</c>) from
/// Snowflake's description of the source, in one transaction, before anything is planned or loaded. Nothing is ever
/// dropped, renamed or rewritten: columns are only added (nullable) or widened.
/// </summary>
internal static class TargetTableShaper
{
    public static async Task<TargetShape> ShapeAsync(
        NpgsqlConnection connection,
        SourceConfig source,
        TableConfig table,
        IReadOnlyList<SnowflakeColumn> described,
        bool apply,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(table);
        var schema = source.TargetPgSchema;
        var name = $"{schema}.{table.Target}";
        var existing = await TargetTableInspector.ColumnsAsync(connection, schema, table.Target, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            if (!table.CreateTarget)
            {
                return TargetShape.Unchanged;
            }

            var extensions = await TargetExtensions.DetectAsync(connection, cancellationToken).ConfigureAwait(false);
            var definitions = TargetTypeContract.Define(name, described, table, extensions);
            var missingKeys = table.UniquenessColumns.Where(k => definitions.All(d => d.Name != k)).ToList();
            if (missingKeys.Count > 0)
            {
                throw new SfPgException(
                    ErrorCatalog.TargetKeyColumnMissing,
                    $"Table {name}: uniqueness_columns {string.Join(", ", missingKeys.Select(k => $"\"{k}\""))} would not be columns of the created table (its columns: {string.Join(", ", definitions.Select(d => d.Name))}). Nothing was created.",
                    target: name,
                    recommendedAction: null);
            }

            var create = TargetTableDdl.Create(schema, table.Target, definitions, table.UniquenessColumns);
            return await FinishAsync(connection, name, create, creates: true, apply, definitions.Select(d => d.AsColumn()).ToList(), cancellationToken).ConfigureAwait(false);
        }

        if (table.SchemaEvolution == SchemaEvolution.None)
        {
            return TargetShape.Unchanged;
        }

        var writable = existing.Where(c => c.IsWritable).ToList();
        var targetExtensions = await TargetExtensions.DetectAsync(connection, cancellationToken).ConfigureAwait(false);
        var match = ColumnMatcher.Match(described.Select(c => c.Name).ToList(), writable.Select(c => c.Name).ToList(), table.ColumnMapping);
        var added = TargetTypeContract.Define(name, described.Where(c => match.SkippedSourceColumns.Contains(c.Name)).ToList(), table, targetExtensions, described)
            .Select(d => d with { NotNull = false })
            .ToList();
        var statements = added.Select(d => TargetTableDdl.AddColumn(schema, table.Target, d)).ToList();
        var planned = existing.ToList();
        planned.AddRange(added.Select(d => d.AsColumn()));
        if (table.SchemaEvolution == SchemaEvolution.Widen)
        {
            foreach (var (sourceName, _, targetName) in match.Pairs)
            {
                var column = existing.First(c => c.Name == targetName);
                var sourceColumn = described.First(c => c.Name == sourceName);
                if (table.ColumnTypes.ContainsKey(sourceName) || WiderType(sourceColumn, column) is not { } wider)
                {
                    continue;
                }

                statements.Add(TargetTableDdl.Widen(schema, table.Target, targetName, wider));
                planned[planned.IndexOf(column)] = wider.AsColumn(column.Name, column.NotNull);
            }
        }

        return statements.Count == 0
            ? TargetShape.Unchanged
            : await FinishAsync(connection, name, statements, creates: false, apply, planned, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The type a varchar or numeric target column needs to hold every value of its source, when its own is narrower:
    /// varchar(n) to the source's length (text when undeclared), numeric(p,s) to as many integer and fraction digits as
    /// either has. Other types are never changed.
    /// </summary>
    internal static PostgresTypeName? WiderType(SnowflakeColumn source, TargetColumn target)
    {
        var limits = TargetTypeLimits.Of(target);
        switch (target.TypeName)
        {
            case "varchar" when source.Type == SnowflakeDataType.Text && limits.Length is { } length:
                var contract = TargetTypeContract.TypeFor(source);
                return contract.InternalName == "text" || (source.Length ?? long.MaxValue) > length ? contract : null;
            case "numeric" when source.Type == SnowflakeDataType.Fixed && limits.Precision is { } precision:
                var scale = limits.Scale ?? 0;
                var sourceScale = source.Scale ?? 0;
                var fraction = Math.Max(scale, sourceScale);
                var integer = Math.Max(precision - scale, (source.Precision ?? 38) - sourceScale);
                return fraction == scale && integer == precision - scale ? null : PostgresTypeName.Numeric(Math.Min(1000, integer + fraction), fraction);
            default:
                return null;
        }
    }

    private static async Task<TargetShape> FinishAsync(
        NpgsqlConnection connection,
        string table,
        IReadOnlyList<string> statements,
        bool creates,
        bool apply,
        IReadOnlyList<TargetColumn> planned,
        CancellationToken cancellationToken)
    {
        if (!apply)
        {
            return new TargetShape(statements, creates, planned);
        }

        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            foreach (var statement in statements)
            {
                using var command = new NpgsqlCommand(statement, connection, transaction);
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException error) when (creates && error.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
                {
                    // Another process sharing the run created it first: its table stands, this one creates nothing.
                    return TargetShape.Unchanged;
                }
                catch (PostgresException error)
                {
                    throw new SfPgException(
                        ErrorCatalog.TargetSchemaChangeFailed,
                        $"Table {table}: PostgreSQL refused \"{statement}\": {error.MessageText} ({error.SqlState}). Nothing was changed.",
                        target: table,
                        recommendedAction: null,
                        innerException: error);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new TargetShape(statements, creates, null);
    }
}
