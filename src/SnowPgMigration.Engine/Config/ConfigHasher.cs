using System.Security.Cryptography;
using System.Text.Json;

namespace SnowPgMigration.Engine.Config;

/// <summary>
/// The canonical hash of an effective config, used to decide whether a run may be resumed: a run started
/// with one hash continues only under a config with the same hash.
/// </summary>
/// <remarks>
/// It covers what decides which rows land where - the Snowflake account, each source's databases and schemas,
/// and every table setting after the effective-config rules - and nothing else. Credentials and connection
/// details (users, passwords, keys, tokens, hosts, ports) never enter it, nor do settings that only change how
/// fast or how robustly the copy runs (parallel_threads, batch_size, retries, deadline buffer, disable_index).
/// </remarks>
public static class ConfigHasher
{
    private const string FormatVersion = "sfpg-config-hash/1";

    /// <summary>
    /// SHA-256 (lower-case hex) over a canonical serialisation of <paramref name="config"/>; when
    /// <paramref name="sourceName"/> is given only that source is covered, so editing another source of the
    /// same file does not stop this one's run from resuming.
    /// </summary>
    public static string Compute(MigrationConfig config, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Convert.ToHexString(SHA256.HashData(CanonicalForm(config, sourceName))).ToLowerInvariant();
    }

    /// <summary>The exact bytes hashed: compact JSON with a fixed key order and sorted column mappings.</summary>
    public static byte[] CanonicalForm(MigrationConfig config, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatVersion);
            json.WriteString("snowflake_account", config.Snowflake.Account.Trim().ToUpperInvariant());
            json.WriteStartArray("sources");
            foreach (var source in config.Sources.Where(s => sourceName is null || SourceSelection.Names(sourceName).Contains(s.SourceName, StringComparer.Ordinal)))
            {
                WriteSource(json, source);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteSource(Utf8JsonWriter json, SourceConfig source)
    {
        json.WriteStartObject();
        json.WriteString("source_name", source.SourceName);
        json.WriteString("source_sf_database", source.SourceSfDatabase);
        json.WriteString("source_sf_schema", source.SourceSfSchema);
        json.WriteString("target_pg_database", source.TargetPgDatabase);
        json.WriteString("target_pg_schema", source.TargetPgSchema);
        json.WriteBoolean("enabled", source.Enabled);
        json.WriteStartArray("tables");
        foreach (var table in source.Tables)
        {
            WriteTable(json, table);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTable(Utf8JsonWriter json, TableConfig table)
    {
        json.WriteStartObject();
        json.WriteString("source", table.Source);
        json.WriteString("target", table.Target);
        json.WriteBoolean("enabled", table.Enabled);
        json.WriteString("source_filter", table.SourceFilter);
        WriteList(json, "chunking_columns", table.ChunkingColumns);
        WriteList(json, "chunking_column_types", table.ChunkingColumnTypes);
        WriteList(json, "uniqueness_columns", table.UniquenessColumns);
        WriteList(json, "sort_columns", table.SortColumns);
        json.WriteString("source_watermark", table.SourceWatermark);
        json.WriteString("target_watermark", table.TargetWatermark);
        json.WriteStartObject("column_mapping");
        foreach (var (source, target) in table.ColumnMapping.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            json.WriteString(source, target);
        }

        json.WriteEndObject();
        json.WriteBoolean("truncate_onstart", table.TruncateOnStart);
        json.WriteBoolean("insert_only_mode", table.InsertOnlyMode);
        if (table.AllowLossyConversion)
        {
            json.WriteBoolean(ConfigKeys.AllowLossyConversion, true);
        }

        // Both decide how values are stored in a created table; written only when set, so other configs hash as before.
        if (table.KeepTimezoneOffset)
        {
            json.WriteBoolean(ConfigKeys.KeepTimezoneOffset, true);
        }

        if (table.TruncateNanoseconds)
        {
            json.WriteBoolean(ConfigKeys.TruncateNanoseconds, true);
        }

        if (table.ColumnTypes.Count > 0)
        {
            json.WriteStartObject(ConfigKeys.ColumnTypes);
            foreach (var (column, type) in table.ColumnTypes.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                json.WriteString(column, type);
            }

            json.WriteEndObject();
        }

        if (table.ChunkingStrategy is { } strategy)
        {
            json.WriteString("chunking_strategy", Planning.ChunkStrategyNames.ToName(strategy));
        }
        json.WriteEndObject();
    }

    private static void WriteList(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
