using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace SnowPgMigration.Engine.Status;

/// <summary>
/// The older Python tool's runs, read-only: from <c>migration_status.legacy_migration_runs</c> after the upgrade,
/// or from its own <c>migration_runs</c> before it. Rows are read as JSON, so column names that differ between
/// versions of the older tool (<c>total_rows_copied</c> or <c>rows_copied</c>, ...) are all understood.
/// </summary>
public static class LegacyRunHistory
{
    private const string UpgradedRuns = "migration_status.legacy_migration_runs";
    private const string UpgradedTables = "migration_status.legacy_migration_table_status";
    private const string InPlaceRuns = "migration_status.migration_runs";
    private const string InPlaceTables = "migration_status.migration_table_status";

    /// <summary>
    /// The older tool's runs that match <paramref name="query"/>'s run id, source, status (as the older tool wrote it) and
    /// count, newest first; none for a query of stale runs, none when the database holds none of its tables.
    /// </summary>
    public static async Task<IReadOnlyList<LegacyRunRecord>> ListAsync(StatusStore store, RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        if (query.StaleAfter is not null)
        {
            return []; // No process of the older tool heartbeats a run this tool could take over.
        }

        var status = query.Status is { } s ? StatusText.ToText(s) : null;
        return (await ListAsync(store.DataSource, cancellationToken).ConfigureAwait(false))
            .Where(r => query.RunId is null || r.RunId == query.RunId)
            .Where(r => query.Source is null || r.Sources.Split(',').Contains(query.Source, StringComparer.Ordinal))
            .Where(r => status is null || string.Equals(r.Status, status, StringComparison.OrdinalIgnoreCase))
            .Take(query.Last ?? int.MaxValue)
            .ToList();
    }

    /// <summary>Every run of the older tool, newest first; empty when the database holds none of its tables.</summary>
    public static async Task<IReadOnlyList<LegacyRunRecord>> ListAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            string runs, tables;
            if (await ExistsAsync(connection, UpgradedRuns, cancellationToken).ConfigureAwait(false))
            {
                (runs, tables) = (UpgradedRuns, UpgradedTables);
            }
            else if ((await LegacyStatusLayout.FindAsync(connection, null, cancellationToken).ConfigureAwait(false))
                     .Any(r => r is { Kind: LegacyRelationKind.Table, Name: "migration_runs" }))
            {
                (runs, tables) = (InPlaceRuns, InPlaceTables);
            }
            else
            {
                return [];
            }

            // Relation names are the constants above, never user input.
            var sources = await ExistsAsync(connection, tables, cancellationToken).ConfigureAwait(false)
                ? $"""
                   SELECT to_jsonb(t) ->> 'run_id' AS run_id, string_agg(DISTINCT to_jsonb(t) ->> 'source_name', ',') AS names
                   FROM {tables} t GROUP BY 1
                   """
                : "SELECT NULL::text AS run_id, NULL::text AS names WHERE false";
            var sql = $"""
                WITH sources AS ({sources})
                SELECT to_jsonb(r)::text, s.names FROM {runs} r
                LEFT JOIN sources s ON s.run_id = to_jsonb(r) ->> 'run_id'
                """;
            var command = new NpgsqlCommand(sql, connection);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var found = new List<LegacyRunRecord>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        found.Add(Read(reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1), runs));
                    }

                    return found.OrderByDescending(r => r.StartedAt ?? DateTimeOffset.MinValue).ToList();
                }
            }
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string relation, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT to_regclass(@relation) IS NOT NULL", connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("relation", relation);
            return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private static LegacyRunRecord Read(string json, string sources, string relation)
    {
        using var document = JsonDocument.Parse(json);
        var row = document.RootElement;
        var runId = Text(row, "run_id") ?? "";
        return new LegacyRunRecord
        {
            RunId = Guid.TryParse(runId, out var id) ? id : Guid.Empty,
            RunIdText = runId,
            Sources = sources,
            Status = Text(row, "status", "run_status") ?? "",
            StartedAt = Time(row, "started_at", "start_time", "created_at"),
            CompletedAt = Time(row, "completed_at", "end_time", "finished_at"),
            TablesTotal = (int)Number(row, "total_tables", "tables_total"),
            TablesCompleted = (int)Number(row, "completed_tables", "tables_completed"),
            TablesFailed = (int)Number(row, "failed_tables", "tables_failed"),
            RowsCopied = Number(row, "total_rows_copied", "rows_copied", "total_rows"),
            Error = Text(row, "error_message", "error"),
            ReadFrom = relation,
        };
    }

    private static string? Text(JsonElement row, params string[] names)
    {
        foreach (var name in names)
        {
            if (row.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                return value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            }
        }

        return null;
    }

    private static long Number(JsonElement row, params string[] names)
    {
        foreach (var name in names)
        {
            if (row.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            {
                return number;
            }
        }

        return 0;
    }

    /// <summary>A <c>timestamp</c> without a zone (the older tool recorded none) is read as UTC; a value with a zone keeps it.</summary>
    private static DateTimeOffset? Time(JsonElement row, params string[] names) =>
        Text(row, names) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;
}
