using Microsoft.Extensions.Logging;
using System.Diagnostics;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// A table's verdict once its chunks are done: the target read back and compared with the source over the run's
/// ranges (invariant 4), recorded as the table's status; a chunk's own counters are never the verdict.
/// </summary>
internal sealed class TableVerdict(IEngineReporter reporter)
{
    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<TableVerdict>();

    public async Task<TableResult> FinishTableAsync(
        StatusStore status,
        NpgsqlDataSource dataSource,
        SnowflakeSource snowflake,
        TablePreparer preparer,
        PreparedTable ready,
        Guid runId,
        SourceConfig source,
        TableConfig table,
        SnowflakeTableName sourceTable,
        LoadMethod method,
        long rowsThisRun,
        string? deletions,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var chunks = await status.Chunks.ListChunksAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
        var expected = chunks.Sum(c => c.ExpectedRows ?? 0);
        var copied = chunks.Where(c => c.Status == ProgressStatus.Completed).Sum(c => c.RowsCopied);
        var failed = chunks.Count(c => c.Status == ProgressStatus.Failed);
        var unfinished = chunks.Count(c => c.Status is ProgressStatus.Pending or ProgressStatus.InProgress);
        ProgressStatus outcome;
        string verification;
        string? error = null;
        long? targetRows = null;
        RangeComparison? compared = null;
        if (failed > 0)
        {
            outcome = ProgressStatus.Failed;
            verification = $"{failed} of {chunks.Count} chunk(s) failed";
            error = chunks.First(c => c.Status == ProgressStatus.Failed).Error;
        }
        else if (unfinished > 0)
        {
            outcome = ProgressStatus.InProgress;
            verification = $"{unfinished} of {chunks.Count} chunk(s) not done yet";
        }
        else
        {
            var mismatched = chunks.Where(c => c.ExpectedRows is { } e && e != c.RowsCopied).ToList();
            outcome = mismatched.Count == 0 ? ProgressStatus.Completed : ProgressStatus.Incomplete;
            verification = mismatched.Count == 0
                ? $"rows loaded {copied:N0} = rows expected {expected:N0} over {chunks.Count} chunk(s)"
                : $"rows loaded {copied:N0} <> rows expected {expected:N0}: chunk(s) {string.Join(", ", mismatched.Take(10).Select(c => $"{c.ChunkId} ({c.RowsCopied:N0}/{c.ExpectedRows:N0})"))} differ";

            verification += deletions is null ? "" : "; " + deletions;

            // Read the target back: a COPY-loaded table holds exactly the rows its chunks committed.
            var readBack = new TargetReadBack(dataSource);
            if (method == LoadMethod.Copy)
            {
                targetRows = await readBack.CountAsync(source.TargetPgSchema, table.Target, cancellationToken).ConfigureAwait(false);
            }

            if (method == LoadMethod.Copy && targetRows != copied)
            {
                var differing = await readBack.DifferingChunksAsync(ready, chunks, cancellationToken).ConfigureAwait(false);
                outcome = ProgressStatus.Incomplete;
                verification = $"the target holds {targetRows:N0} rows, its chunks committed {copied:N0}" +
                               (differing.Count == 0 ? "" : $": chunk range(s) {string.Join(", ", differing.Take(10).Select(d => $"{d.ChunkId} ({d.OnTarget:N0} on the target/{d.Committed:N0} committed)"))} differ") +
                               "; rows were removed or added behind the run, or loaded twice";
            }
            else if (method == LoadMethod.Copy)
            {
                verification += $"; target read back: {targetRows:N0} rows";
            }

            // Every load method: the target, read back range by range, against the source now; over the
            // run's chunks when they cover the whole table, else over a fresh plan of it (an incremental run).
            var fromRun = RangeBounds.WholeTableOf(chunks);
            var ranges = fromRun ?? RangeBounds.Of(await preparer.PlanWholeTableAsync(table, cancellationToken).ConfigureAwait(false));
            compared = await new RangeComparer(snowflake, dataSource).CompareAsync(
                source, table, ranges, table.Verify, fromRun is null ? null : runId, cancellationToken).ConfigureAwait(false);
            targetRows ??= compared.TargetRows;
            verification += "; " + compared.Describe();
            if (!compared.Equal)
            {
                outcome = ProgressStatus.Incomplete;
            }

            if (outcome == ProgressStatus.Incomplete)
            {
                if (compared is { Equal: false })
                {
                    EngineLog.TableIncompleteRepairable(_logger, table.Target, verification);
                }
                else
                {
                    EngineLog.TableIncomplete(_logger, table.Target, verification);
                }
            }
        }

        verification += table.AllowLossyConversion ? "; lossy conversion allowed" : string.Empty;
        var record = await status.Tables.FinishTableAsync(new TableOutcome
        {
            RunId = runId,
            Table = table.Target,
            Status = outcome,
            Verification = verification,
            Error = error,
            TargetRowCount = targetRows,
            SourceRowCount = compared?.SourceRows,
            VerifyMethod = compared?.Depth.ToName(),
            DifferingRangesJson = compared?.DifferingRangesJson(),
        }, CancellationToken.None).ConfigureAwait(false);
        if (outcome is ProgressStatus.Completed or ProgressStatus.Incomplete or ProgressStatus.Failed)
        {
            await status.Loaders.FinishLoadingAsync(runId, source.TargetPgSchema, table.Target, CancellationToken.None).ConfigureAwait(false);
        }

        if (outcome == ProgressStatus.Completed && rowsThisRun > 0)
        {
            await TableStatistics.RefreshAsync(dataSource, source.TargetPgSchema, table.Target, reporter, cancellationToken).ConfigureAwait(false);
        }

        return new TableResult
        {
            Table = table.Target,
            SourceTable = sourceTable.ToString(),
            Status = outcome,
            Strategy = record.Strategy,
            LoadMethod = method.ToName(),
            Chunks = chunks.Count,
            RowsExpected = expected,
            RowsCopied = copied,
            RowsCopiedThisRun = rowsThisRun,
            Elapsed = clock.Elapsed,
            Verification = verification,
            Error = error,
        };
    }
}
