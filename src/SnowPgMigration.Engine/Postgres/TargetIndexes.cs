using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// Reads, drops and recreates a target table's indexes and constraints around a bulk load
/// (<c>disable_index</c>). Callers save the definitions in the status schema before dropping.
/// </summary>
public static class TargetIndexes
{
    /// <summary>
    /// Indexes and key constraints of the table, constraints first. Check and not-null constraints
    /// stay: they cost little and guard the data. <paramref name="keepUniqueOn"/> names the columns of an arbiter index the
    /// load itself needs (ON CONFLICT), which is left out.
    /// </summary>
    public static async Task<IReadOnlyList<IndexDefinition>> ReadAsync(
        NpgsqlConnection connection, string schema, string table, IReadOnlyCollection<string>? keepUniqueOn, CancellationToken cancellationToken)
    {
        const string constraintsSql = """
            SELECT c.conname, CASE c.contype WHEN 'p' THEN 'primary_key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign_key' ELSE 'exclusion' END,
                   pg_get_constraintdef(c.oid),
                   (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey))
            FROM pg_constraint c
            WHERE c.conrelid = to_regclass($1) AND c.contype IN ('p', 'u', 'f', 'x')
            ORDER BY c.contype = 'f' DESC, c.conname
            """;
        const string indexesSql = """
            SELECT ic.relname, 'index', pg_get_indexdef(i.indexrelid),
                   (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)),
                   i.indisunique
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = to_regclass($1)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
            ORDER BY ic.relname
            """;
        var keep = keepUniqueOn?.OrderBy(c => c, StringComparer.Ordinal).ToArray();
        var definitions = new List<IndexDefinition>();
        foreach (var sql in new[] { constraintsSql, indexesSql })
        {
            using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue(PgIdentifier.Quote(schema, table));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var name = reader.GetString(0);
                    var kind = reader.GetString(1);
                    var columns = reader.IsDBNull(3) ? null : reader.GetFieldValue<string[]>(3);
                    var unique = kind is "primary_key" or "unique" || (kind == "index" && reader.GetBoolean(4));
                    var objectKind = StatusText.ParseIndexObjectKind(kind);
                    if (unique && keep is { Length: > 0 } && columns is not null && columns.SequenceEqual(keep))
                    {
                        continue; // The arbiter the load's ON CONFLICT needs.
                    }

                    var createSql = kind == "index"
                        ? reader.GetString(2)
                        : $"ALTER TABLE {PgIdentifier.Quote(schema, table)} ADD CONSTRAINT {PgIdentifier.Quote(name)} {reader.GetString(2)}";
                    definitions.Add(new IndexDefinition(schema, table, objectKind, name, createSql));
                }
            }
        }

        return definitions;
    }

    /// <summary>Drops the definitions (foreign keys first, so keys they depend on can go).</summary>
    public static async Task DropAsync(NpgsqlConnection connection, IEnumerable<IndexDefinition> definitions, CancellationToken cancellationToken)
    {
        foreach (var definition in definitions.OrderByDescending(d => d.Kind == IndexObjectKind.ForeignKey))
        {
            using var command = new NpgsqlCommand(DropSql(definition), connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Recreates what is missing (keys before the foreign keys that reference them); definitions that
    /// already exist are left alone, so restoring twice is harmless.
    /// </summary>
    public static async Task<int> RestoreAsync(NpgsqlConnection connection, IEnumerable<IndexDefinition> definitions, CancellationToken cancellationToken)
    {
        var restored = 0;
        foreach (var definition in definitions.OrderBy(d => d.Kind == IndexObjectKind.ForeignKey))
        {
            if (await RestoreOneAsync(connection, definition, cancellationToken).ConfigureAwait(false))
            {
                restored++;
            }
        }

        return restored;
    }

    /// <summary>
    /// Recreates one definition unless it exists; true when it was created. Runs in the connection's open
    /// transaction, if any. A definition not of the shape <see cref="ReadAsync"/> saves is refused, not run.
    /// </summary>
    public static async Task<bool> RestoreOneAsync(NpgsqlConnection connection, IndexDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (await ExistsAsync(connection, definition, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (await SavedIndexDefinition.ProblemAsync(connection, definition, cancellationToken).ConfigureAwait(false) is { } problem)
        {
            throw new SfPgException(ErrorCatalog.IndexRestoreFailed, problem, $"{definition.TargetSchema}.{definition.Table}", null);
        }

        using var command = new NpgsqlCommand(definition.Definition, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, IndexDefinition definition, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(
            IsConstraint(definition)
                ? "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2)"
                : "SELECT to_regclass($1) IS NOT NULL",
            connection);
        if (IsConstraint(definition))
        {
            command.Parameters.AddWithValue(PgIdentifier.Quote(definition.TargetSchema, definition.Table));
            command.Parameters.AddWithValue(definition.Name);
        }
        else
        {
            command.Parameters.AddWithValue(PgIdentifier.Quote(definition.TargetSchema, definition.Name));
        }

        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static bool IsConstraint(IndexDefinition definition) => definition.Kind != IndexObjectKind.Index;

    private static string DropSql(IndexDefinition definition) => IsConstraint(definition)
        ? $"ALTER TABLE {PgIdentifier.Quote(definition.TargetSchema, definition.Table)} DROP CONSTRAINT IF EXISTS {PgIdentifier.Quote(definition.Name)}"
        : $"DROP INDEX IF EXISTS {PgIdentifier.Quote(definition.TargetSchema, definition.Name)}";
}
