using Npgsql;

namespace SnowPgMigration.Engine.Status;

/// <summary>Records in a table's status row how its target was shaped before planning: created, evolved, and the DDL run.</summary>
public static class TargetShapeStore
{
    public static async Task RecordAsync(
        NpgsqlDataSource dataSource,
        Guid runId,
        string table,
        bool created,
        string schemaEvolution,
        IReadOnlyList<string> statements,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(statements);
        var command = dataSource.CreateCommand("""
            UPDATE migration_status.migration_table_status
            SET target_created = target_created OR @created, schema_evolution = @evolution,
                schema_changes = CASE WHEN @changes IS NULL THEN schema_changes
                                      ELSE concat_ws(E'\n', schema_changes, @changes) END
            WHERE run_id = @run_id AND table_name = @table
            """);
        await using var disposeCommand = command.ConfigureAwait(false);
        command.Parameters.AddWithValue("created", created);
        command.Parameters.AddWithValue("evolution", schemaEvolution);
        command.Parameters.Add(new NpgsqlParameter<string?>("changes", statements.Count == 0 ? null : string.Concat(statements.Select(s => s + ";"))) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue("run_id", runId);
        command.Parameters.AddWithValue("table", table);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
