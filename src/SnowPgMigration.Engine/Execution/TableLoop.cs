using Microsoft.Extensions.Logging;
using System.Diagnostics;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// A run's tables, one after another, each through its steps: plan or reuse the plan (<see cref="TablePlanStep"/>),
/// drop indexes, copy its chunks with parallel workers (<see cref="TableCopier"/>), restore indexes, delete_missing,
/// and the verdict (<see cref="TableVerdict"/>). One table's failure is recorded and the next table goes on; a lost
/// run ends the loop.
/// </summary>
internal sealed class TableLoop(
    MigrationConfig config,
    MigrationOptions options,
    IEngineReporter reporter,
    Func<int> nextActivityId,
    StatusStore status,
    NpgsqlDataSource dataSource,
    ConnectionBudget budget,
    SnowflakeSource runSnowflake,
    TablePreparer preparer,
    SourceConfig source,
    Guid runId,
    Guid? ownerToken,
    bool joined,
    Deadline deadline)
{
    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<TableLoop>();

    private readonly TablePlanStep _planStep = new(options, reporter);
    private readonly TableVerdict _verdict = new(reporter);

    /// <summary>Adds each table's result to <paramref name="results"/> as it ends, so a run stopped midway still reports the tables it finished.</summary>
    public async Task MigrateTablesAsync(IReadOnlyList<TableConfig> tables, List<TableResult> results, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            // No time left to claim a chunk: do not plan (or truncate) a table only to load nothing into it.
            if (cancellationToken.IsCancellationRequested || !deadline.CheckBeforeClaim())
            {
                break;
            }

            results.Add(await MigrateTableAsync(table, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<TableResult> MigrateTableAsync(TableConfig table, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var snowflake = runSnowflake.WithQueryTag(SnowflakeSessionParameters.QueryTagFor(runId, table.Target));
        var sourceTable = preparer.SourceTableOf(table);
        var recorded = await status.Tables.GetTableAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
        if (recorded is { Status: ProgressStatus.Completed })
        {
            EngineLog.TableCompletedEarlier(_logger, table.Target, runId);
            if (table.Extract == ExtractMethod.Unload && !joined)
            {
                // A run stopped between the table's verdict and the deletion of its files: they go now.
                await ReleaseStageAsync(new UnloadStageFiles(dataSource, config.Stage!), table, cancellationToken).ConfigureAwait(false);
            }

            return new TableResult
            {
                Table = table.Target, SourceTable = sourceTable.ToString(), Status = ProgressStatus.Completed,
                Strategy = recorded.Strategy, LoadMethod = recorded.LoadMethod, Chunks = recorded.Chunks.Completed,
                RowsExpected = recorded.RowsExpected ?? 0, RowsCopied = recorded.RowsCopied, Verification = recorded.Verification,
            };
        }

        var indexes = new IndexGuard(dataSource, status.IndexBackups, reporter);
        TableCopier? copier = null;
        try
        {
            var method = await _planStep.PlanOrReuseAsync(status, preparer, indexes, source, table, sourceTable, recorded, runId, ownerToken, joined, cancellationToken)
                .ConfigureAwait(false);

            if (table.DisableIndex && !joined)
            {
                await indexes.DropAsync(runId, source.TargetPgSchema, table.Target, method == LoadMethod.Copy ? null : table.UniquenessColumns, cancellationToken)
                    .ConfigureAwait(false);
            }

            var (writer, columns) = await preparer.BuildWriterAsync(table, method, cancellationToken).ConfigureAwait(false);
            var requested = Math.Max(1, options.ThrottleLimit ?? table.ParallelThreads ?? config.ParallelThreads);
            var workers = budget.WorkersFor(requested);
            if (workers < requested)
            {
                EngineLog.WorkersLimitedByServer(_logger, table.Target, requested, budget.Available, budget.MaxConnections, budget.InUse, workers);
            }

            var ready = new PreparedTable(table, sourceTable, source.TargetPgSchema, writer, columns, workers);
            await status.Tables.StartTableAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
            var before = await status.Chunks.ListChunksAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
            var stage = table.Extract == ExtractMethod.Unload ? new UnloadStageFiles(dataSource, config.Stage!) : null;
            if (stage is not null)
            {
                await PrepareStageAsync(stage, table, cancellationToken).ConfigureAwait(false);
            }

            var unload = stage is not null
                ? new UnloadChunkCopier(dataSource, snowflake, config.Stage!, ready, options.HeartbeatInterval, options.StaleClaimAfter, options.TimeProvider)
                : null;
            copier = new TableCopier(dataSource, status, snowflake, options, config.MaxRetryAttempts, deadline, reporter,
                nextActivityId(), $"{Environment.MachineName}:{Environment.ProcessId}:{table.Target}", unload);
            await copier.CopyAsync(runId, ready, before.Sum(c => c.ExpectedRows ?? 0),
                before.Where(c => c.Status == ProgressStatus.Completed).Sum(c => c.RowsCopied), cancellationToken).ConfigureAwait(false);

            if (table.DisableIndex && !joined)
            {
                // Restored before verification; the finally below covers every other way out.
                await indexes.RestoreAsync(runId, source.TargetPgSchema, table.Target, CancellationToken.None).ConfigureAwait(false);
            }

            var deletions = await DeleteMissingStep.BeforeVerdictAsync(status, method, joined, snowflake, dataSource, source, table, runId, reporter, cancellationToken).ConfigureAwait(false);
            var verdict = await _verdict.FinishTableAsync(status, dataSource, snowflake, preparer, ready, runId, source, table, sourceTable, method, copier.RowsThisRun, deletions, clock, cancellationToken).ConfigureAwait(false);
            if (stage is not null && verdict.Status == ProgressStatus.Completed && !joined)
            {
                await ReleaseStageAsync(stage, table, cancellationToken).ConfigureAwait(false);
            }

            return verdict;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException
                                   && !IsRunLost(ex))
        {
            EngineLog.TableFailed(_logger, table.Target, ex.Message);
            if (!joined)
            {
                // Only the owner records a table's verdict on the shared run.
                await RecordTableFailureAsync(table, sourceTable, ex.Message).ConfigureAwait(false);
            }

            return new TableResult
            {
                Table = table.Target, SourceTable = sourceTable.ToString(), Status = ProgressStatus.Failed, Error = ex.Message,
                ErrorCode = (ex as SfPgException)?.Code,
                Elapsed = clock.Elapsed, RowsCopiedThisRun = copier?.RowsThisRun ?? 0,
            };
        }
        finally
        {
            if (table.DisableIndex && !joined)
            {
                // After a failure or cancellation too: nothing is left without its indexes.
                await indexes.RestoreOnLeavingAsync(runId, source.TargetPgSchema, table.Target).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Records the run's stage folder of the table before any chunk is unloaded into it; the owner then empties the
    /// folders that runs no longer at work left for the table, since this run loads it now and none of theirs will.
    /// </summary>
    private async Task PrepareStageAsync(UnloadStageFiles stage, TableConfig table, CancellationToken cancellationToken)
    {
        await stage.RecordAsync(runId, source.TargetPgSchema, table.Target, cancellationToken).ConfigureAwait(false);
        if (joined)
        {
            return;
        }

        var (deleted, left) = await stage.DeleteAbandonedAsync(runId, source.TargetPgSchema, table.Target, options.StaleClaimAfter, cancellationToken)
            .ConfigureAwait(false);
        foreach (var folder in deleted)
        {
            EngineLog.UnloadedFilesOfEarlierRunDeleted(_logger, table.Target, folder.RunId, folder.Folder, folder.Reason);
        }

        foreach (var folder in left)
        {
            EngineLog.UnloadedFilesLeft(_logger, table.Target, folder.RunId, folder.Folder, folder.Reason);
        }
    }

    /// <summary>
    /// After the table's verdict (completed): its files leave the stage, or stay recorded as kept with --keep-files.
    /// A failure or a stop only leaves them, named in a warning, for the next run that loads the table.
    /// </summary>
    private async Task ReleaseStageAsync(UnloadStageFiles stage, TableConfig table, CancellationToken cancellationToken)
    {
        if (options.KeepFiles)
        {
            await stage.KeepAsync(runId, source.TargetPgSchema, table.Target, cancellationToken).ConfigureAwait(false);
            return;
        }

        UnloadLeftover? left;
        try
        {
            left = await stage.DeleteAsync(runId, source.TargetPgSchema, table.Target, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            EngineLog.UnloadedFilesLeft(_logger, table.Target, runId, stage.FolderOf(runId, table.Target).SnowflakeUrl, "the run was stopped before they were deleted.");
            throw;
        }

        if (left is not null)
        {
            EngineLog.UnloadedFilesLeft(_logger, table.Target, runId, left.Folder, left.Reason);
        }
    }

    private async Task RecordTableFailureAsync(TableConfig table, SnowflakeTableName sourceTable, string error)
    {
        try
        {
            await status.Tables.RecordTableAsync(new TablePlanRow
            {
                RunId = runId, Table = table.Target, SourceTable = sourceTable.ToString(), TargetSchema = source.TargetPgSchema,
            }, CancellationToken.None).ConfigureAwait(false);
            await status.Tables.FinishTableAsync(new TableOutcome { RunId = runId, Table = table.Target, Status = ProgressStatus.Failed, Error = error },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or SfPgException)
        {
            EngineLog.TableFailureNotRecorded(_logger, table.Target, ex.Message);
        }
    }

    /// <summary>The run itself is gone or owned elsewhere: not one table's failure, the end of this process's run.</summary>
    /// <remarks>So is a Snowflake that was never reached: every other table would fail the same way.</remarks>
    private static bool IsRunLost(Exception ex) => ex is SfPgException sf && (sf.Error == ErrorCatalog.RunNoLongerOwned || sf.Error == ErrorCatalog.SnowflakeUnreachable);
}
