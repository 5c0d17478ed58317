using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// A dry run: each table's strategy, load method, chunks and target DDL, planned exactly as a run would
/// plan them, with nothing written. A table that cannot be planned reports its error and the others go on.
/// </summary>
internal sealed class MigrationDryRun(MigrationConfig config, IEngineReporter reporter)
{
    public async Task<IReadOnlyList<TableDryRun>> PlanAsync(
        SnowflakeClient client, SourceConfig source, IReadOnlyList<TableConfig> tables, CancellationToken cancellationToken)
    {
        var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, source.TargetPgDatabase), reporter.LoggerFactory);
        await using (dataSource.ConfigureAwait(false))
        {
            var snowflake = SnowflakeSource.Of(client, config.Snowflake, source);
            var preparer = new TablePreparer(config, source, snowflake, dataSource, reporter, dryRun: true);
            var results = new List<TableDryRun>();
            foreach (var table in tables)
            {
                var sourceTable = preparer.SourceTableOf(table).ToString();
                try
                {
                    var prepared = await preparer.PlanAsync(table, cancellationToken).ConfigureAwait(false);
                    results.Add(new TableDryRun
                    {
                        SourceName = source.SourceName,
                        SourceTable = sourceTable,
                        Table = $"{source.TargetPgSchema}.{table.Target}",
                        Strategy = prepared.Plan.Strategy.ToName(),
                        StrategyReason = prepared.Plan.Reason,
                        LoadMethod = prepared.Method.ToName(),
                        LoadMethodReason = prepared.MethodReason,
                        Chunks = prepared.Plan.Chunks,
                        TargetDdl = prepared.Shape.Statements,
                    });
                }
                catch (SfPgException ex)
                {
                    results.Add(new TableDryRun
                    {
                        SourceName = source.SourceName,
                        SourceTable = sourceTable,
                        Table = $"{source.TargetPgSchema}.{table.Target}",
                        Strategy = "",
                        StrategyReason = "",
                        LoadMethod = "",
                        LoadMethodReason = "",
                        Chunks = [],
                        Error = $"{ex.Code}: {ex.Message}",
                    });
                }
            }

            return results;
        }
    }
}
