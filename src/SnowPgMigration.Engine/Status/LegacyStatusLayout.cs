using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// The older Python tool's status tables and views, which share our names in <c>migration_status</c> but not
/// our columns. Found by a column each of ours has had since its first version; upgraded by renaming them
/// (and their indexes) to <c>legacy_*</c> in the same schema, so their rows stay readable and ours can be installed.
/// </summary>
public static class LegacyStatusLayout
{
    /// <summary>What an upgraded relation is renamed with.</summary>
    public const string Prefix = "legacy_";

    /// <summary>Our relations and a column each has always had; one of these names without that column is the older tool's.</summary>
    private const string FindSql = """
        WITH ours(relname, marker) AS (VALUES
            ('migration_runs', 'config_hash'),
            ('migration_table_status', 'source_table'),
            ('migration_chunk_status', 'predicate'),
            ('v_active_migrations', 'heartbeat_age'),
            ('v_table_progress', 'percent_complete'))
        SELECT c.relname::text, c.relkind = 'v'
        FROM ours o
        JOIN pg_catalog.pg_class c ON c.relname = o.relname
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'migration_status'
        WHERE NOT EXISTS (
            SELECT 1 FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = c.oid AND a.attname = o.marker AND a.attnum > 0 AND NOT a.attisdropped)
        ORDER BY c.relkind = 'v', c.relname
        """;

    private const string IndexesSql = """
        SELECT i.relname::text
        FROM pg_catalog.pg_index x
        JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
        JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'migration_status'
        WHERE t.relname = ANY(@tables)
        ORDER BY i.relname
        """;

    private const string TakenSql = """
        SELECT c.relname::text FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'migration_status'
        WHERE c.relname = ANY(@names)
        """;

    /// <summary>The older tool's relations in <c>migration_status</c>: tables first, then views; empty when there are none.</summary>
    public static async Task<IReadOnlyList<LegacyRelation>> FindAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var found = new List<LegacyRelation>();
        using (var command = new NpgsqlCommand(FindSql, connection, transaction))
        {
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                found.Add(new LegacyRelation(name, reader.GetBoolean(1) ? LegacyRelationKind.View : LegacyRelationKind.Table, LegacyName(name)));
            }
        }

        var tables = found.Where(r => r.Kind == LegacyRelationKind.Table).Select(r => r.Name).ToArray();
        if (tables.Length == 0)
        {
            return found;
        }

        using (var command = new NpgsqlCommand(IndexesSql, connection, transaction))
        {
            command.Parameters.AddWithValue("tables", tables);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                found.Add(new LegacyRelation(name, LegacyRelationKind.Index, LegacyName(name)));
            }
        }

        return found;
    }

    /// <summary>
    /// Looks for the older layout on a connection of its own (the caller's may be in a failed transaction) after
    /// a status statement failed with an unknown column; the catalogued error when it is there, else null.
    /// </summary>
    internal static async Task<SfPgException?> ExplainAsync(NpgsqlConnection failed, PostgresException error, CancellationToken cancellationToken)
    {
        if (error.SqlState != PostgresErrorCodes.UndefinedColumn)
        {
            return null;
        }

        try
        {
            using var connection = (NpgsqlConnection)((ICloneable)failed).Clone();
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var legacy = await FindAsync(connection, transaction: null, cancellationToken).ConfigureAwait(false);
            return legacy.Count == 0 ? null : Found(connection.Database, legacy, error);
        }
        catch (NpgsqlException)
        {
            return null; // The original error says more than a failed look-up would.
        }
    }

    /// <summary>SFPG4012 naming the database, the older tables found and the upgrade command.</summary>
    public static SfPgException Found(string? database, IReadOnlyList<LegacyRelation> legacy, Exception? inner = null)
    {
        ArgumentNullException.ThrowIfNull(legacy);
        var names = legacy.Where(r => r.Kind != LegacyRelationKind.Index).Select(r => $"migration_status.{r.Name}");
        return new SfPgException(
            ErrorCatalog.StatusLegacyLayout,
            $"Database '{database}' holds the older Python tool's status tables ({string.Join(", ", names)}), whose columns differ from SnowPgMigration's. "
            + $"Upgrade them once with 'sfpg install-schema --upgrade-legacy' (Install-SfPgStatusSchema -UpgradeLegacy): they are kept, rows and all, as migration_status.{Prefix}*, and the new status tables are installed beside them.",
            target: database,
            recommendedAction: null,
            inner);
    }

    /// <summary>Refuses an upgrade whose <c>legacy_*</c> names are already taken (an earlier upgrade's tables, kept as they are).</summary>
    internal static async Task EnsureNamesFreeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LegacyRelation> legacy, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(TakenSql, connection, transaction);
        command.Parameters.AddWithValue("names", legacy.Select(r => r.LegacyName).ToArray());
        var taken = new List<string>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                taken.Add(reader.GetString(0));
            }
        }

        if (taken.Count > 0)
        {
            throw new SfPgException(
                ErrorCatalog.StatusLegacyNamesTaken,
                $"Cannot keep the older tool's status tables of database '{connection.Database}' under their legacy names: migration_status.{string.Join(", migration_status.", taken)} already exist(s).",
                target: connection.Database,
                recommendedAction: null);
        }
    }

    /// <summary>The statement that renames one relation to its legacy name.</summary>
    public static string RenameStatement(LegacyRelation relation)
    {
        ArgumentNullException.ThrowIfNull(relation);
        var kind = relation.Kind switch
        {
            LegacyRelationKind.Table => "TABLE",
            LegacyRelationKind.View => "VIEW",
            _ => "INDEX",
        };
        return $"ALTER {kind} migration_status.{PgIdentifier.Quote(relation.Name)} RENAME TO {PgIdentifier.Quote(relation.LegacyName)}";
    }

    private static string LegacyName(string name) => Config.PostgresNameLength.Truncate(Prefix + name);
}
