using Microsoft.Extensions.Logging;
using System.Globalization;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Verification;

/// <summary>
/// Re-loads exactly the ranges of a table that differ from the source: each in one transaction that deletes the
/// target's rows of the range and copies the source's (the re-load of a reset chunk), recorded as a run of its own kind
/// ('repair'). Ranges where the target holds more rows than the source are repaired only when extra rows may be
/// deleted, and never beyond the maximum delete ratio.
/// </summary>
public sealed class TableRepairer(MigrationConfig config, IEngineReporter reporter, SnowflakeClientOptions? snowflakeOptions = null)
{
    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<TableRepairer>();

    /// <exception cref="SfPgException">
    /// <see cref="ErrorCatalog.RepairDeleteRatioInvalid"/>, <see cref="ErrorCatalog.VerifyNothingSelected"/>,
    /// <see cref="ErrorCatalog.RepairRangesNotFound"/>, <see cref="ErrorCatalog.RepairDeleteRatioExceeded"/>.
    /// </exception>
    public async Task<IReadOnlyList<RepairResult>> RepairAsync(RepairRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!(request.MaxDeleteRatio is >= 0 and <= 1))
        {
            throw new SfPgException(
                ErrorCatalog.RepairDeleteRatioInvalid,
                string.Create(CultureInfo.InvariantCulture, $"A maximum delete ratio of {request.MaxDeleteRatio} is not a fraction between 0 and 1 (table {request.Table}); nothing was changed."),
                target: "max-delete-ratio",
                recommendedAction: null);
        }

        var selection = VerifySelection.Select(config, request.Source, request.Table);
        var clientOptions = snowflakeOptions ?? new SnowflakeClientOptions();
        using var client = SnowflakeClient.Create(config.Snowflake, clientOptions with { Logger = clientOptions.Logger ?? reporter.SnowflakeLogger() });
        var verifier = new TargetVerifier(config, reporter, snowflakeOptions);
        var results = new List<RepairResult>();
        foreach (var (source, tables) in selection)
        {
            var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, source.TargetPgDatabase), reporter.LoggerFactory);
            await using (dataSource.ConfigureAwait(false))
            {
                var snowflake = SnowflakeSource.Of(client, config.Snowflake, source);
                foreach (var table in tables)
                {
                    var depth = request.Depth ?? table.Verify;
                    var before = await verifier.CompareAsync(snowflake, dataSource, source, table, depth, cancellationToken).ConfigureAwait(false);
                    results.Add(await RepairTableAsync(snowflake, dataSource, source, table, before, request, cancellationToken).ConfigureAwait(false));
                }
            }
        }

        return results;
    }

    private async Task<RepairResult> RepairTableAsync(
        SnowflakeSource snowflake, NpgsqlDataSource dataSource, SourceConfig source, TableConfig table, RangeComparison before, RepairRequest request, CancellationToken cancellationToken)
    {
        var candidates = SelectRanges(before, request);
        var extra = candidates.Where(r => r.TargetRows > r.SourceRows).ToList();
        var skipped = request.DeleteExtra ? [] : extra;
        var reload = candidates.Except(skipped).ToList();
        if (request.DeleteExtra)
        {
            var extraRows = extra.Sum(r => r.ExtraRows);
            if (before.TargetRows > 0 && (double)extraRows / before.TargetRows > request.MaxDeleteRatio)
            {
                throw new SfPgException(
                    ErrorCatalog.RepairDeleteRatioExceeded,
                    string.Create(CultureInfo.InvariantCulture,
                        $"Table {before.Table} (source {before.SourceName}): the repair would delete {extraRows:N0} extra row(s) of the target's {before.TargetRows:N0} " +
                        $"({(double)extraRows / before.TargetRows:P1}) in {extra.Count} range(s), above the maximum delete ratio of {request.MaxDeleteRatio:P1}; nothing was changed."),
                    target: before.Table,
                    recommendedAction: null);
            }
        }

        foreach (var range in skipped)
        {
            EngineLog.ExtraRowsLeft(_logger, before.Table, range.RangeId, range.TargetRows, range.SourceRows);
        }

        if (request.DryRun || reload.Count == 0)
        {
            return new RepairResult { SourceName = source.SourceName, Table = before.Table, DryRun = request.DryRun, Before = before, Reloaded = reload, SkippedExtra = skipped };
        }

        var (runId, after, rowsCopied) = await ReloadAsync(snowflake, dataSource, source, table, before, reload, cancellationToken).ConfigureAwait(false);
        return new RepairResult
        {
            SourceName = source.SourceName, Table = before.Table, RunId = runId, Before = before, Reloaded = reload, SkippedExtra = skipped, After = after, RowsCopied = rowsCopied,
        };
    }

    /// <summary>The differing ranges, or those of <see cref="RepairRequest.Ranges"/> that still differ.</summary>
    private static List<RangeCount> SelectRanges(RangeComparison before, RepairRequest request)
    {
        if (request.Ranges is null)
        {
            return before.DifferingRanges.ToList();
        }

        var named = request.Ranges.Select(r => RangeComparer.WithoutWatermark(r)).Select(r => (r.Strategy, r.BoundsJson)).ToHashSet();
        var known = before.Ranges.Where(r => named.Contains((r.Bounds.Strategy, r.Bounds.BoundsJson))).ToList();
        if (named.Count > 0 && known.Count == 0)
        {
            throw new SfPgException(
                ErrorCatalog.RepairRangesNotFound,
                $"Table {before.Table} (source {before.SourceName}): none of the {named.Count} range(s) given is a range of the table as it is compared now " +
                $"({(before.RangesFromRun is { } run ? $"the chunks of run {run}" : "a fresh plan of the source")}); nothing was changed.",
                target: before.Table,
                recommendedAction: null);
        }

        return known.Where(r => r.Differs).ToList();
    }

    private async Task<(Guid RunId, RangeComparison After, long RowsCopied)> ReloadAsync(
        SnowflakeSource snowflake, NpgsqlDataSource dataSource, SourceConfig source, TableConfig table, RangeComparison before, IReadOnlyList<RangeCount> reload, CancellationToken cancellationToken)
    {
        var status = new StatusStore(dataSource);
        await status.InstallSchemaAsync(cancellationToken).ConfigureAwait(false);
        var owner = RunOwner.ThisProcess();
        var run = await status.Runs.CreateRunAsync(new NewRun
        {
            SourceName = source.SourceName,
            // Never the hash of a migration of the same config: a migration must not take a repair for a run to resume.
            ConfigHash = "repair:" + ConfigHasher.Compute(config, source.SourceName),
            OwnerToken = owner.Token,
            HostName = owner.HostName,
            ProcessId = owner.ProcessId,
            WorkerInfo = "repair",
        }, cancellationToken).ConfigureAwait(false);
        await new VerificationStatusStore(dataSource).MarkRepairRunAsync(run.RunId, cancellationToken).ConfigureAwait(false);
        EngineLog.RepairRunStarted(_logger, run.RunId, before.Table, reload.Count);
        var final = RunStatus.Failed;
        string? error = null;
        try
        {
            var preparer = new TablePreparer(config, source, snowflake, dataSource, reporter);
            var sourceTable = preparer.SourceTableOf(table);
            await status.Loaders.RecordPlanAsync(new PlanRecording
            {
                Plan = new TablePlanRow
                {
                    RunId = run.RunId,
                    Table = table.Target,
                    SourceTable = sourceTable.ToString(),
                    TargetSchema = source.TargetPgSchema,
                    LoadMethod = LoadMethod.Copy.ToName(),
                    Strategy = before.Ranges[0].Bounds.Strategy,
                    SourceRowCount = before.SourceRows,
                },
                SourceName = source.SourceName,
                // Every range is recorded, so a remainder range knows the values the others hold; only the differing ones are loaded.
                Chunks = before.Ranges.Select(r => new PlannedChunkRow(r.RangeId, r.Bounds.Strategy, r.SourcePredicate, r.Bounds.BoundsJson, r.SourceRows)).ToList(),
                OwnerToken = owner.Token,
                IsStillLoading = loader => loader.Run is { } loading && RunLiveness.IsLive(loading, new MigrationOptions().StaleClaimAfter),
            }, cancellationToken).ConfigureAwait(false);
            await new VerificationStatusStore(dataSource).SelectRangesToReloadAsync(run.RunId, table.Target, reload.Select(r => r.RangeId).ToList(), cancellationToken)
                .ConfigureAwait(false);
            await status.Tables.StartTableAsync(run.RunId, table.Target, cancellationToken).ConfigureAwait(false);

            // Copy into the emptied range: the delete and the copy of each range share one transaction.
            var (writer, columns) = await preparer.BuildWriterAsync(table, LoadMethod.Copy, cancellationToken).ConfigureAwait(false);
            var workers = Math.Clamp(table.ParallelThreads ?? config.ParallelThreads, 1, reload.Count);
            var ready = new PreparedTable(table, sourceTable, source.TargetPgSchema, writer, columns, workers);
            var copier = new TableCopier(dataSource, status, snowflake, new MigrationOptions(), config.MaxRetryAttempts, Deadline.None, reporter, 1,
                $"{Environment.MachineName}:{Environment.ProcessId}:repair:{table.Target}");
            await copier.CopyAsync(run.RunId, ready, reload.Sum(r => r.SourceRows), 0, cancellationToken).ConfigureAwait(false);

            var chunks = await status.Chunks.ListChunksAsync(run.RunId, table.Target, cancellationToken).ConfigureAwait(false);
            var failed = chunks.FirstOrDefault(c => c.Status == ProgressStatus.Failed);
            var after = await new RangeComparer(snowflake, dataSource)
                .CompareAsync(source, table, before.Ranges.Select(r => r.Bounds).ToList(), before.Depth, run.RunId, cancellationToken).ConfigureAwait(false);
            var outcome = failed is not null ? ProgressStatus.Failed : after.Equal ? ProgressStatus.Completed : ProgressStatus.Incomplete;
            error = failed?.Error;
            await status.Tables.FinishTableAsync(new TableOutcome
            {
                RunId = run.RunId,
                Table = table.Target,
                Status = outcome,
                Verification = $"repair re-loaded {reload.Count} range(s); " + after.Describe(),
                Error = error,
                TargetRowCount = after.TargetRows,
                SourceRowCount = after.SourceRows,
                VerifyMethod = after.Depth.ToName(),
                DifferingRangesJson = after.DifferingRangesJson(),
            }, CancellationToken.None).ConfigureAwait(false);
            await status.Loaders.FinishLoadingAsync(run.RunId, source.TargetPgSchema, table.Target, CancellationToken.None).ConfigureAwait(false);
            final = outcome == ProgressStatus.Completed ? RunStatus.Completed : RunStatus.CompletedWithErrors;
            error ??= after.Equal ? null : $"{table.Target}: {after.Describe()}";
            return (run.RunId, after, copier.RowsThisRun);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            final = ex is OperationCanceledException ? RunStatus.Cancelled : RunStatus.Failed;
            error = ex.Message;
            throw;
        }
        finally
        {
            await status.Runs.FinishRunAsync(run.RunId, owner.Token, final, error, CancellationToken.None).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var ended = StatusText.ToText(final);
                EngineLog.RepairRunEnded(_logger, run.RunId, ended);
            }
        }
    }
}
