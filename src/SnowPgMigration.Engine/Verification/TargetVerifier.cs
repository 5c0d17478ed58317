using Microsoft.Extensions.Logging;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// Compares tables with their source at any time after a run (sfpg verify, Test-SfPgTable, Find-SfPgGap). The ranges
/// are the chunks of the newest run that planned the table over its whole key space, else a fresh plan of the source;
/// the counts (and checksums when asked) are pushed into both databases by <see cref="RangeComparer"/>.
/// </summary>
public sealed class TargetVerifier(MigrationConfig config, IEngineReporter reporter, SnowflakeClientOptions? snowflakeOptions = null)
{
    public async Task<IReadOnlyList<RangeComparison>> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var selection = VerifySelection.Select(config, request.Source, request.Table);
        var clientOptions = snowflakeOptions ?? new SnowflakeClientOptions();
        using var client = SnowflakeClient.Create(config.Snowflake, clientOptions with { Logger = clientOptions.Logger ?? reporter.SnowflakeLogger() });
        var logger = reporter.LoggerFactory.CreateLogger<TargetVerifier>();
        var results = new List<RangeComparison>();
        foreach (var (source, tables) in selection)
        {
            var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, source.TargetPgDatabase), reporter.LoggerFactory);
            await using (dataSource.ConfigureAwait(false))
            {
                var snowflake = SnowflakeSource.Of(client, config.Snowflake, source);
                foreach (var table in tables)
                {
                    var depth = request.Deep ? VerifyDepth.Checksums : request.Depth ?? table.Verify;
                    var compared = await CompareAsync(snowflake, dataSource, source, table, depth, cancellationToken).ConfigureAwait(false);
                    if (request.Deep)
                    {
                        compared = await NarrowToKeysAsync(snowflake, dataSource, source, table, compared, cancellationToken).ConfigureAwait(false);
                    }

                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        var comparison = compared.Describe();
                        if (compared.RangesFromRun is { } run)
                        {
                            EngineLog.TableComparedOnRunRanges(logger, compared.Table, comparison, run);
                        }
                        else
                        {
                            EngineLog.TableComparedOnFreshPlan(logger, compared.Table, comparison);
                        }
                    }
                    results.Add(compared);
                }
            }
        }

        return results;
    }

    /// <summary>Each differing range narrowed down to keys: only those ranges' keys and row hashes travel.</summary>
    private static async Task<RangeComparison> NarrowToKeysAsync(
        SnowflakeSource snowflake, NpgsqlDataSource dataSource, SourceConfig source, TableConfig table, RangeComparison compared, CancellationToken cancellationToken)
    {
        if (compared.Equal)
        {
            return compared with { Deep = true };
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var keyed = await KeyedTable.ResolveAsync(snowflake, dataSource, source, table, cancellationToken).ConfigureAwait(false);
        var comparison = new KeyedComparison(keyed);
        var ranges = new List<RangeCount>(compared.Ranges.Count);
        foreach (var range in compared.Ranges)
        {
            ranges.Add(range.Differs
                ? range with { Keys = await comparison.CompareAsync([RangeComparer.KeyedRangeOf(keyed, range, compared.Ranges)], cancellationToken).ConfigureAwait(false) }
                : range);
        }

        return compared with { Ranges = ranges, Deep = true, Elapsed = compared.Elapsed + clock.Elapsed };
    }

    /// <summary>One table compared over the ranges of its newest whole-table run, else of a fresh plan.</summary>
    internal async Task<RangeComparison> CompareAsync(
        SnowflakeSource snowflake, NpgsqlDataSource dataSource, SourceConfig source, TableConfig table, VerifyDepth depth, CancellationToken cancellationToken)
    {
        IReadOnlyList<RangeBounds>? ranges = null;
        Guid? fromRun = null;
        if (await StatusSchema.IsInstalledAsync(dataSource, cancellationToken).ConfigureAwait(false)
            && await new VerificationStatusStore(dataSource).LatestWholeTableChunksAsync(source.SourceName, source.TargetPgSchema, table.Target, cancellationToken)
                .ConfigureAwait(false) is { } latest)
        {
            ranges = RangeBounds.WholeTableOf(latest.Chunks);
            fromRun = ranges is null ? null : latest.RunId;
        }

        ranges ??= RangeBounds.Of(await new TablePreparer(config, source, snowflake, dataSource, reporter).PlanWholeTableAsync(table, cancellationToken).ConfigureAwait(false));
        return await new RangeComparer(snowflake, dataSource).CompareAsync(source, table, ranges, depth, fromRun, cancellationToken).ConfigureAwait(false);
    }
}
