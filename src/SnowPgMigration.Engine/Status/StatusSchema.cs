using Npgsql;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Installs the <c>migration_status</c> schema from <c>sql/migration_status_schema.sql</c>, embedded
/// in this assembly so the engine and psql users apply the very same DDL.
/// </summary>
public static class StatusSchema
{
    /// <summary>Serialises concurrent installs; the script takes the same lock for psql users.</summary>
    public const long ApplyLockKey = 7390512338165311025;

    private const string ResourceName = "SnowPgMigration.Engine.Status.migration_status_schema.sql";

    private static readonly Lazy<string> Script = new(ReadScript);

    /// <summary>The DDL script's text.</summary>
    public static string Sql => Script.Value;

    /// <summary>
    /// Applies the schema in one transaction under a transaction-level advisory lock, so any number
    /// of processes may install at the same time and every one of them succeeds.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ApplyAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the schema on an open connection that has no transaction in progress.</summary>
    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.StatusLegacyLayout"/> when the older Python tool's status tables hold our names;
    /// <see cref="ErrorCatalog.StatusSchemaApplyFailed"/> when the DDL fails.
    /// </exception>
    public static async Task ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await InstallAsync(connection, upgradeLegacy: false, apply: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the older Python tool's status tables, views and indexes under <c>legacy_*</c> names in
    /// <c>migration_status</c> (rows untouched), then installs the schema, in one transaction. With
    /// <paramref name="apply"/> false nothing changes: the statements that would run are returned (-WhatIf).
    /// </summary>
    /// <returns>The rename statements, in order; empty when there was nothing of the older tool's.</returns>
    public static async Task<IReadOnlyList<string>> UpgradeLegacyAsync(NpgsqlDataSource dataSource, bool apply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await InstallAsync(connection, upgradeLegacy: true, apply, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>> InstallAsync(NpgsqlConnection connection, bool upgradeLegacy, bool apply, CancellationToken cancellationToken)
    {
        try
        {
            using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", ApplyLockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Checked under the lock, before any DDL: the older tool's tables would otherwise fail the script
            // half-way with a misleading "column does not exist".
            var legacy = await LegacyStatusLayout.FindAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (legacy.Count > 0 && !upgradeLegacy)
            {
                throw LegacyStatusLayout.Found(connection.Database, legacy);
            }

            var renames = legacy.Select(LegacyStatusLayout.RenameStatement).ToList();
            if (legacy.Count > 0)
            {
                await LegacyStatusLayout.EnsureNamesFreeAsync(connection, transaction, legacy, cancellationToken).ConfigureAwait(false);
            }

            if (!apply)
            {
                return renames;
            }

            foreach (var statement in renames.Append(Sql))
            {
                using var ddl = new NpgsqlCommand(statement, connection, transaction);
                await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return renames;
        }
        catch (PostgresException ex)
        {
            var hint = ex.SqlState == PostgresErrorCodes.InsufficientPrivilege
                ? $" The user '{connection.UserName}' lacks a privilege it needs."
                : "";
            throw new SfPgException(
                ErrorCatalog.StatusSchemaApplyFailed,
                $"Installing the migration_status schema in database '{connection.Database}' failed: {ex.MessageText} (SQLSTATE {ex.SqlState}).{hint}",
                target: connection.Database,
                recommendedAction: null,
                ex);
        }
    }

    /// <summary>True when the database already has every status table and view.</summary>
    public static async Task<bool> IsInstalledAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        using var command = dataSource.CreateCommand("""
            SELECT count(*) FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'migration_status'
              AND c.relname IN ('migration_runs', 'migration_table_status', 'migration_chunk_status',
                                'migration_index_backup', 'v_active_migrations', 'v_table_progress')
            """);
        var found = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return found == 6;
    }

    private static string ReadScript()
    {
        using var stream = typeof(StatusSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The engine assembly lacks its embedded resource '{ResourceName}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
