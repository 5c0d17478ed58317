using Microsoft.Extensions.Logging;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>A table's plan inside a run: made and recorded once, reused by resumes and joiners, re-made only when its verdict or a newer run calls for it.</summary>
internal sealed class TablePlanStep(MigrationOptions options, IEngineReporter reporter)
{
    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<TablePlanStep>();

    /// <summary>
    /// The table's load method: the one this run recorded with its plan, or a new plan recorded in one
    /// transaction with the table's loader, its truncate and its chunks. A table planned in a run is not
    /// planned again in it, except when its verdict was incomplete (re-planned afresh, so the default command
    /// converges) or, with --force, when a newer run has loaded the table since.
    /// </summary>
    public async Task<LoadMethod> PlanOrReuseAsync(
        StatusStore status,
        TablePreparer preparer,
        IndexGuard indexes,
        SourceConfig source,
        TableConfig table,
        SnowflakeTableName sourceTable,
        TableStatusRecord? recorded,
        Guid runId,
        Guid? ownerToken,
        bool joined,
        CancellationToken cancellationToken)
    {
        var planned = recorded is not null && (recorded.PlannedAt is not null || (recorded.LoadMethod is not null && recorded.Chunks.Total > 0));
        if (joined)
        {
            // The owner plans tables one by one: wait for it rather than fail a table of the shared run.
            while (!planned)
            {
                var run = await status.Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
                recorded = await status.Tables.GetTableAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
                planned = recorded?.PlannedAt is not null;
                if (planned)
                {
                    break;
                }

                if (run is not { Status: RunStatus.Running })
                {
                    throw new SfPgException(ErrorCatalog.JoinRefused,
                        $"Run {runId} ended ({(run is null ? "removed" : StatusText.ToText(run.Status))}) without planning table {table.Target}; nothing left to share.",
                        table.Target, null);
                }

                await Task.Delay(TimeSpan.FromTicks(Math.Min(options.HeartbeatInterval.Ticks / 2, TimeSpan.FromSeconds(1).Ticks)), options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }

            return ParseMethod(recorded!.LoadMethod!);
        }

        var replan = false;
        if (planned)
        {
            var loader = await status.Loaders.GetLoaderAsync(source.TargetPgSchema, table.Target, cancellationToken).ConfigureAwait(false);
            if (loader is not null && loader.RunId != runId)
            {
                if (!options.Force)
                {
                    throw new SfPgException(
                        ErrorCatalog.TableSupersededByNewerRun,
                        $"Table {source.TargetPgSchema}.{table.Target}: run {loader.RunId} (source '{loader.SourceName}', planned {loader.PlannedAt:u}) has loaded it since run {runId} planned it, " +
                        $"so run {runId} does not go on with its plan and leaves the table as it is. Re-plan it inside this run with --force (-Force), or leave this run.",
                        target: $"{source.TargetPgSchema}.{table.Target}",
                        recommendedAction: null);
                }

                EngineLog.TableLoadedByNewerRun(_logger, table.Target, loader.RunId, runId);
                replan = true;
            }
            else if (recorded!.Status == ProgressStatus.Incomplete)
            {
                EngineLog.TableReplannedAfterIncomplete(_logger, table.Target, runId);
                replan = true;
            }
            else
            {
                await RunLifecycle.EnsureStillOwnedAsync(status, runId, ownerToken, table.Target, cancellationToken).ConfigureAwait(false);
                return ParseMethod(recorded.LoadMethod!);
            }
        }

        await indexes.RestoreLeftoversAsync(source.TargetPgSchema, table.Target, runId, cancellationToken).ConfigureAwait(false);
        var prepared = await preparer.PlanAsync(table, cancellationToken).ConfigureAwait(false);
        var recordedNow = await status.Loaders.RecordPlanAsync(new PlanRecording
        {
            Plan = new TablePlanRow
            {
                RunId = runId,
                Table = table.Target,
                SourceTable = sourceTable.ToString(),
                TargetSchema = source.TargetPgSchema,
                LoadMethod = prepared.Method.ToName(),
                Strategy = prepared.Plan.Strategy.ToName(),
                SourceRowCount = prepared.Plan.ExpectedRows,
            },
            SourceName = source.SourceName,
            Chunks = TablePreparer.ToChunkRows(prepared, table),
            OwnerToken = ownerToken,
            TruncateSql = table.TruncateOnStart ? $"TRUNCATE TABLE {PgIdentifier.Quote(source.TargetPgSchema, table.Target)}" : null,
            ReplaceEarlierPlan = replan,
            IsStillLoading = loader => loader.Run is { } run && RunLiveness.IsLive(run, options.StaleClaimAfter),
        }, cancellationToken).ConfigureAwait(false);
        if (!recordedNow)
        {
            var theirs = await status.Tables.GetTableAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
            return ParseMethod(theirs!.LoadMethod!);
        }

        if (table.CreateTarget || table.SchemaEvolution != SchemaEvolution.None)
        {
            await TargetShapeStore.RecordAsync(status.DataSource, runId, table.Target, prepared.Shape.CreatesTable, table.SchemaEvolution.ToName(), prepared.Shape.Statements, cancellationToken).ConfigureAwait(false);
        }

        var strategy = prepared.Plan.Strategy.ToName();
        var method = prepared.Method.ToName();
        if (table.TruncateOnStart)
        {
            EngineLog.TablePlannedAndTruncated(_logger, table.Target, strategy, prepared.Plan.Reason, prepared.Plan.Chunks.Count, prepared.Plan.ExpectedRows, method, prepared.MethodReason);
        }
        else
        {
            EngineLog.TablePlanned(_logger, table.Target, strategy, prepared.Plan.Reason, prepared.Plan.Chunks.Count, prepared.Plan.ExpectedRows, method, prepared.MethodReason);
        }
        return prepared.Method;
    }

    private static LoadMethod ParseMethod(string name) =>
        Enum.GetValues<LoadMethod>().First(m => m.ToName() == name);
}
