using Microsoft.Extensions.Logging;
using Npgsql;
using SnowPgMigration.Engine.Reporting;

namespace SnowPgMigration.Engine.Postgres;

/// <summary>
/// ANALYZE of a table after it loads, as the older tool did: the planner otherwise plans the first queries
/// against a freshly loaded table from the statistics of the empty one until autovacuum gets to it.
/// </summary>
public static class TableStatistics
{
    /// <summary>
    /// Refreshes the statistics of <paramref name="schema"/>.<paramref name="table"/>. A failure is a warning:
    /// the rows are loaded and verified either way, and autovacuum analyzes the table later.
    /// </summary>
    public static async Task RefreshAsync(NpgsqlDataSource target, string schema, string table, IEngineReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(reporter);
        var logger = reporter.LoggerFactory.CreateLogger(typeof(TableStatistics));
        try
        {
            var command = target.CreateCommand($"ANALYZE {PgIdentifier.Quote(schema, table)}");
            await using (command.ConfigureAwait(false))
            {
                // ANALYZE samples a bounded number of rows, but a wide table still takes a while.
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            EngineLog.StatisticsRefreshed(logger, schema, table);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            EngineLog.StatisticsNotRefreshed(logger, schema, table, ex.Message, PgIdentifier.Quote(schema, table));
        }
    }
}
