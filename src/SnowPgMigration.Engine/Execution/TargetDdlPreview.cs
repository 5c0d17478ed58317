using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>The DDL that would create one target table, or why it cannot be made.</summary>
public sealed record TargetTableDdlPreview(string SourceName, string SourceTable, string Table, IReadOnlyList<string> Statements, string? Error);

/// <summary>
/// The CREATE statements of the configured target tables, from Snowflake's description alone, for review before a
/// run: the target is never contacted, so every table is shown as if missing and GEOGRAPHY and GEOMETRY as text (a run
/// creates PostGIS types where the target database has the extension).
/// </summary>
public static class TargetDdlPreview
{
    public static async Task<IReadOnlyList<TargetTableDdlPreview>> BuildAsync(
        MigrationConfig config, string? sourceName, string? tableName, SnowflakeClientOptions? clientOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        using var client = SnowflakeClient.Create(config.Snowflake, clientOptions ?? new SnowflakeClientOptions());
        var previews = new List<TargetTableDdlPreview>();
        foreach (var source in config.Sources.Where(s => sourceName is null ? s.Enabled : string.Equals(s.SourceName, sourceName, StringComparison.OrdinalIgnoreCase)))
        {
            var snowflake = SnowflakeSource.Of(client, config.Snowflake, source);
            var tables = source.Tables.Where(t => tableName is null
                ? t.Enabled
                : string.Equals(t.Target, tableName, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Source, tableName, StringComparison.OrdinalIgnoreCase));
            foreach (var table in tables)
            {
                var sourceTable = new SnowflakeTableName(source.SourceSfDatabase, source.SourceSfSchema, table.Source);
                var target = $"{source.TargetPgSchema}.{table.Target}";
                try
                {
                    var described = await snowflake.DescribeAsync(sourceTable, cancellationToken).ConfigureAwait(false);
                    var definitions = TargetTypeContract.Define(target, described, table, TargetExtensions.None);
                    var statements = TargetTableDdl.Create(source.TargetPgSchema, table.Target, definitions, table.UniquenessColumns);
                    previews.Add(new TargetTableDdlPreview(source.SourceName, sourceTable.ToString(), target, statements, null));
                }
                catch (SfPgException error)
                {
                    previews.Add(new TargetTableDdlPreview(source.SourceName, sourceTable.ToString(), target, [], $"{error.Code}: {error.Message}"));
                }
            }
        }

        return previews;
    }
}
