using System.Data.Common;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// <c>sfpg validate --connect</c> / <c>Test-SfPgConfig -Connect</c>: logs in to Snowflake and to each target database and
/// checks that everything a valid config names is there and usable - source databases, schemas, tables and columns,
/// target schemas, tables and columns, and the privileges the config's settings need. Reads only; changes nothing.
/// Every problem is one finding with its JSON path.
/// </summary>
public static class ConnectionCheck
{
    private const string StatusSchemaName = "migration_status";

    /// <summary>
    /// <paramref name="loaded"/> with the findings of <see cref="CheckAsync"/> added when it is valid; invalid (no config)
    /// when any of them is an error. An invalid config is returned as it is: there is nothing to connect with.
    /// </summary>
    public static async Task<ConfigLoadResult> AddToAsync(
        ConfigLoadResult loaded, string? sourceSelection, SnowflakeClientOptions? snowflakeOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (loaded.Config is null)
        {
            return loaded;
        }

        var found = await CheckAsync(loaded.Config, sourceSelection, snowflakeOptions, cancellationToken).ConfigureAwait(false);
        var findings = loaded.Findings.Concat(found.Select(f => f with { File = loaded.File })).ToList();
        return found.Any(f => f.IsError)
            ? loaded with { Findings = findings, Config = null, ConfigHash = null }
            : loaded with { Findings = findings };
    }

    /// <summary>The findings for the sources <paramref name="sourceSelection"/> names (see <see cref="SourceSelection"/>), else every enabled source.</summary>
    public static async Task<IReadOnlyList<ConfigFinding>> CheckAsync(
        MigrationConfig config, string? sourceSelection, SnowflakeClientOptions? snowflakeOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var findings = new List<ConfigFinding>();
        var sources = config.Sources
            .Select((source, index) => (Source: source, Path: $"sources[{index}]"))
            .Where(s => sourceSelection is null ? s.Source.Enabled : SourceSelection.Includes(sourceSelection, s.Source.SourceName))
            .ToList();

        using (var client = SnowflakeClient.Create(config.Snowflake, snowflakeOptions))
        {
            if (await LogInAsync(client, config, findings, cancellationToken).ConfigureAwait(false))
            {
                foreach (var (source, path) in sources)
                {
                    await CheckSourceAsync(client, config, source, path, findings, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var database in sources.GroupBy(s => s.Source.TargetPgDatabase, StringComparer.Ordinal))
        {
            await CheckTargetDatabaseAsync(config, database.Key, database.ToList(), findings, cancellationToken).ConfigureAwait(false);
        }

        return findings;
    }

    private static async Task<bool> LogInAsync(SnowflakeClient client, MigrationConfig config, List<ConfigFinding> findings, CancellationToken cancellationToken)
    {
        var settings = config.Snowflake;
        try
        {
            await client.ExecuteAsync(new SnowflakeStatement("SELECT 1") { Warehouse = settings.Warehouse, Role = settings.Role }, cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (SfPgException ex)
        {
            findings.Add(Error(ErrorCatalog.ConnectSnowflakeFailed, "snowflake",
                $"logging in to Snowflake account '{settings.Account}' as user '{settings.User}' (role {settings.Role ?? "default"}, " +
                $"warehouse {settings.Warehouse ?? "default"}) failed: {ex.Code} {ex.Message}"));
            return false;
        }
    }

    private static async Task CheckSourceAsync(
        SnowflakeClient client, MigrationConfig config, SourceConfig source, string path, List<ConfigFinding> findings, CancellationToken cancellationToken)
    {
        var settings = config.Snowflake;
        try
        {
            await client.ExecuteAsync(
                new SnowflakeStatement("SELECT 1") { Database = source.SourceSfDatabase, Schema = source.SourceSfSchema, Warehouse = settings.Warehouse, Role = settings.Role },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SfPgException ex)
        {
            findings.Add(Error(ErrorCatalog.ConnectSourceObjectMissing, $"{path}.source_sf_schema",
                $"Snowflake schema {source.SourceSfDatabase}.{source.SourceSfSchema} of source '{source.SourceName}' cannot be used: {ex.Message}"));
            return;
        }

        var snowflake = SnowflakeSource.Of(client, settings, source);
        foreach (var (table, tablePath) in EnabledTables(source, path))
        {
            var name = new SnowflakeTableName(source.SourceSfDatabase, source.SourceSfSchema, table.Source);
            IReadOnlyList<SnowflakeColumn> columns;
            try
            {
                columns = await snowflake.DescribeAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (SfPgException ex)
            {
                findings.Add(Error(ErrorCatalog.ConnectSourceObjectMissing, $"{tablePath}.source", $"Snowflake table {name} cannot be read: {ex.Message}"));
                continue;
            }

            var present = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (setting, column) in SourceColumnsNamed(table))
            {
                if (!present.Contains(column))
                {
                    findings.Add(Error(ErrorCatalog.ConnectSourceColumnMissing, $"{tablePath}.{setting}",
                        $"column \"{column}\" is not in Snowflake table {name}; its columns are {string.Join(", ", columns.Select(c => c.Name))}."));
                }
            }
        }
    }

    private static async Task CheckTargetDatabaseAsync(
        MigrationConfig config, string database, IReadOnlyList<(SourceConfig Source, string Path)> sources, List<ConfigFinding> findings, CancellationToken cancellationToken)
    {
        var databasePath = $"{sources[0].Path}.target_pg_database";
        var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, database));
        await using (dataSource.ConfigureAwait(false))
        {
            NpgsqlConnection connection;
            try
            {
                connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                var reason = TargetConnectionFailure.From(ex, config.Postgres)?.Message ?? ex.Message;
                findings.Add(Error(ErrorCatalog.ConnectTargetFailed, databasePath, $"connecting to database '{database}' failed: {reason}"));
                return;
            }

            await using (connection.ConfigureAwait(false))
            {
                var user = connection.UserName ?? "(current user)";
                await CheckStatusSchemaAsync(connection, database, user, databasePath, findings, cancellationToken).ConfigureAwait(false);
                foreach (var (source, path) in sources)
                {
                    await CheckTargetSourceAsync(connection, source, path, user, findings, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task CheckStatusSchemaAsync(
        NpgsqlConnection connection, string database, string user, string path, List<ConfigFinding> findings, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT to_regnamespace(@schema) IS NOT NULL,
                   CASE WHEN to_regnamespace(@schema) IS NULL THEN has_database_privilege(current_database(), 'CREATE')
                        ELSE has_schema_privilege(to_regnamespace(@schema)::oid, 'USAGE') AND has_schema_privilege(to_regnamespace(@schema)::oid, 'CREATE') END
            """;
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", StatusSchemaName);
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var exists = reader.GetBoolean(0);
        if (!reader.GetBoolean(1))
        {
            findings.Add(Error(ErrorCatalog.ConnectStatusPrivilegeMissing, path, exists
                ? $"user '{user}' lacks USAGE or CREATE on schema {StatusSchemaName} of database '{database}', where each chunk's status is written with its rows."
                : $"user '{user}' may not create schema {StatusSchemaName} in database '{database}' (no CREATE on the database), where each chunk's status is written with its rows."));
        }
    }

    private static async Task CheckTargetSourceAsync(
        NpgsqlConnection connection, SourceConfig source, string path, string user, List<ConfigFinding> findings, CancellationToken cancellationToken)
    {
        var schema = source.TargetPgSchema;
        using (var command = new NpgsqlCommand(
                   "SELECT to_regnamespace(@schema) IS NOT NULL AND has_schema_privilege(to_regnamespace(@schema)::oid, 'USAGE')", connection))
        {
            command.Parameters.AddWithValue("schema", PgIdentifier.Quote(schema));
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                findings.Add(Error(ErrorCatalog.ConnectTargetObjectMissing, $"{path}.target_pg_schema",
                    $"schema \"{schema}\" does not exist in database '{source.TargetPgDatabase}', or user '{user}' has no USAGE on it."));
                return;
            }
        }

        foreach (var (table, tablePath) in EnabledTables(source, path))
        {
            var qualified = $"{schema}.{table.Target}";
            var columns = await TargetTableInspector.ColumnsAsync(connection, schema, table.Target, cancellationToken).ConfigureAwait(false);
            if (columns.Count == 0)
            {
                findings.Add(Error(ErrorCatalog.ConnectTargetObjectMissing, $"{tablePath}.target",
                    $"table {qualified} does not exist in database '{source.TargetPgDatabase}'."));
                continue;
            }

            var present = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (setting, column) in TargetColumnsNamed(table))
            {
                if (!present.Contains(column))
                {
                    findings.Add(Error(ErrorCatalog.ConnectTargetColumnMissing, $"{tablePath}.{setting}",
                        $"column \"{column}\" is not in table {qualified}; its columns are {string.Join(", ", columns.Select(c => c.Name))}."));
                }
            }

            foreach (var (privilege, why) in await MissingPrivilegesAsync(connection, schema, table, cancellationToken).ConfigureAwait(false))
            {
                findings.Add(Error(ErrorCatalog.ConnectTargetPrivilegeMissing, $"{tablePath}.target",
                    $"user '{user}' lacks {privilege} on table {qualified}, needed {why}."));
            }
        }
    }

    /// <summary>The privileges the table's settings need that the connected user lacks, each with the reason it is needed.</summary>
    private static async Task<List<(string Privilege, string Why)>> MissingPrivilegesAsync(
        NpgsqlConnection connection, string schema, TableConfig table, CancellationToken cancellationToken)
    {
        var needed = new List<(string Privilege, string Why)>
        {
            ("SELECT", "to read the table back and verify it"),
            ("INSERT", "to load rows"),
        };
        if (table.TruncateOnStart)
        {
            needed.Add(("TRUNCATE", "by truncate_onstart"));
        }
        else if (table.UniquenessColumns.Count > 0 && !table.InsertOnlyMode)
        {
            needed.Add(("UPDATE", "to upsert rows by uniqueness_columns"));
        }

        var missing = new List<(string Privilege, string Why)>();
        foreach (var (privilege, why) in needed)
        {
            using var command = new NpgsqlCommand("SELECT has_table_privilege(to_regclass(@table), @privilege)", connection);
            command.Parameters.AddWithValue("table", PgIdentifier.Quote(schema, table.Target));
            command.Parameters.AddWithValue("privilege", privilege);
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                missing.Add((privilege, why));
            }
        }

        if (table.DisableIndex)
        {
            // Only a table's owner (or a member of the owning role) may drop and create its indexes.
            using var command = new NpgsqlCommand(
                "SELECT pg_has_role(c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = to_regclass(@table)", connection);
            command.Parameters.AddWithValue("table", PgIdentifier.Quote(schema, table.Target));
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                missing.Add(("ownership (DROP INDEX, CREATE INDEX)", "by disable_index to drop the indexes before the load and recreate them after"));
            }
        }

        return missing;
    }

    private static IEnumerable<(TableConfig Table, string Path)> EnabledTables(SourceConfig source, string path) =>
        source.Tables.Select((table, index) => (Table: table, Path: $"{path}.tables[{index}]")).Where(t => t.Table.Enabled);

    private static IEnumerable<(string Setting, string Column)> SourceColumnsNamed(TableConfig table)
    {
        foreach (var column in table.ChunkingColumns)
        {
            yield return ("chunking_columns", column);
        }

        foreach (var column in table.SortColumns.Except(table.ChunkingColumns, StringComparer.Ordinal))
        {
            yield return ("sort_columns", column);
        }

        if (table.SourceWatermark is { } watermark)
        {
            yield return ("source_watermark", watermark);
        }

        foreach (var column in table.ColumnMapping.Keys)
        {
            yield return ("column_mapping", column);
        }
    }

    private static IEnumerable<(string Setting, string Column)> TargetColumnsNamed(TableConfig table)
    {
        foreach (var column in table.UniquenessColumns)
        {
            yield return ("uniqueness_columns", column);
        }

        if (table.TargetWatermark is { } watermark)
        {
            yield return ("target_watermark", watermark);
        }

        foreach (var column in table.ColumnMapping.Values.Distinct(StringComparer.Ordinal))
        {
            yield return ("column_mapping", column);
        }
    }

    private static ConfigFinding Error(ErrorCode error, string path, string message) => new()
    {
        Severity = ConfigFindingSeverity.Error,
        Error = error,
        Path = path,
        Message = message,
        Hint = error.RecommendedAction,
    };
}
