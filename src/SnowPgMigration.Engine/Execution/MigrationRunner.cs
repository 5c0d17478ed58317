using System.Diagnostics;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// The migration: for each enabled source, a run in its target database that plans (or resumes)
/// every table and copies its chunks with parallel workers. The run's status is persisted on every
/// path - completed, failed, deadline, cancellation (invariant 3).
/// </summary>
public sealed class MigrationRunner(
    MigrationConfig config,
    MigrationOptions options,
    IEngineReporter reporter,
    SnowflakeClientOptions? snowflakeOptions = null)
{
    private int _activityIds;

    public async Task<MigrationResult> RunAsync(CancellationToken cancellationToken)
    {
        var sources = SelectSources();
        // The client's retries and back-off waits go down the one reporting path unless the caller logs them itself.
        var clientOptions = snowflakeOptions ?? new SnowflakeClientOptions();
        using var client = SnowflakeClient.Create(config.Snowflake, clientOptions with { Logger = clientOptions.Logger ?? new ReporterLogger(reporter) });
        if (options.DryRun)
        {
            var plans = new List<TableDryRun>();
            foreach (var source in sources)
            {
                plans.AddRange(await DryRunAsync(client, source, cancellationToken).ConfigureAwait(false));
            }

            return new MigrationResult { IsDryRun = true, DryRun = plans };
        }

        var buffer = TimeSpan.FromSeconds(config.DeadlineBufferSeconds);
        if (options.MaxDuration is { } maxDuration && maxDuration <= buffer)
        {
            throw new SfPgException(
                ErrorCatalog.DeadlineShorterThanBuffer,
                $"A maximum duration of {maxDuration.TotalSeconds:N0} s leaves no time to claim a chunk: claiming stops deadline_buffer_seconds " +
                $"({buffer.TotalSeconds:N0} s) before the end. Nothing was started or changed.",
                target: "max-duration",
                recommendedAction: null);
        }

        if ((options.ResumeRunId ?? options.JoinRunId) is { } runId && options.Source is null)
        {
            sources = await SourcesOwningRunAsync(runId, sources, cancellationToken).ConfigureAwait(false);
        }

        var runs = new List<RunResult>();
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            runs.Add(await RunSourceAsync(client, source, cancellationToken).ConfigureAwait(false));
        }

        return new MigrationResult { Runs = runs };
    }

    private List<SourceConfig> SelectSources()
    {
        var sources = config.Sources
            .Where(s => options.Source is null ? s.Enabled : SourceSelection.Includes(options.Source, s.SourceName))
            .Where(s => SelectTables(s).Count > 0)
            .ToList();
        if (sources.Count == 0)
        {
            var what = options.Source is null ? "no enabled source" : $"source '{options.Source}'";
            var table = options.Table is null ? "" : $" with table '{options.Table}'";
            throw new SfPgException(ErrorCatalog.NothingToMigrate, $"Nothing to migrate: {what}{table} has an enabled table in {config.SourcePath ?? "the config"}.");
        }

        return sources;
    }

    /// <summary>A run id names one source's run: find which, so resuming by id needs no --source.</summary>
    private async Task<List<SourceConfig>> SourcesOwningRunAsync(Guid runId, List<SourceConfig> sources, CancellationToken cancellationToken)
    {
        foreach (var database in sources.Select(s => s.TargetPgDatabase).Distinct(StringComparer.Ordinal))
        {
            var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, database));
            await using (dataSource.ConfigureAwait(false))
            {
                if (!await StatusSchema.IsInstalledAsync(dataSource, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var run = await new StatusStore(dataSource).Runs.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
                if (run is not null)
                {
                    return sources.Where(s => s.TargetPgDatabase == database && s.SourceName == run.SourceName).ToList();
                }
            }
        }

        throw new SfPgException(
            ErrorCatalog.RunNotFound,
            $"No run {runId} in the migration_status schema of database(s) {string.Join(", ", sources.Select(s => s.TargetPgDatabase).Distinct())}.",
            target: runId.ToString(),
            recommendedAction: "List the runs with 'sfpg runs' (Get-SfPgRun) and check the id, or name the source with --source.");
    }

    private List<TableConfig> SelectTables(SourceConfig source) =>
        source.Tables
            .Where(t => options.Table is null
                ? t.Enabled
                : string.Equals(t.Target, options.Table, StringComparison.OrdinalIgnoreCase)
                  || string.Equals(t.Source, options.Table, StringComparison.OrdinalIgnoreCase))
            .ToList();

    private async Task<IReadOnlyList<TableDryRun>> DryRunAsync(SnowflakeClient client, SourceConfig source, CancellationToken cancellationToken)
    {
        var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, source.TargetPgDatabase));
        await using (dataSource.ConfigureAwait(false))
        {
            var snowflake = SourceFor(client, source);
            var preparer = new TablePreparer(config, source, snowflake, dataSource, reporter, dryRun: true);
            var results = new List<TableDryRun>();
            foreach (var table in SelectTables(source))
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

    private SnowflakeSource SourceFor(SnowflakeClient client, SourceConfig source) =>
        new(client, source.SourceSfDatabase, source.SourceSfSchema, config.Snowflake.Warehouse, config.Snowflake.Role);

    private async Task<RunResult> RunSourceAsync(SnowflakeClient client, SourceConfig source, CancellationToken cancellationToken)
    {
        var connectionString = TargetConnection.ConnectionString(config.Postgres, source.TargetPgDatabase);
        var budget = await ConnectionBudget.ReadAsync(connectionString, cancellationToken).ConfigureAwait(false);
        var dataSource = TargetConnection.CreateDataSource(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = budget.PoolSize(new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize),
            IncludeErrorDetail = true, // TargetDataError reads a refused key's value from the detail; no setting left to advise.
        }.ConnectionString);
        await using (dataSource.ConfigureAwait(false))
        {
            var status = new StatusStore(dataSource, PostgresRetry.DefaultBudget,
                (error, wait) => reporter.Verbose($"Status database {source.TargetPgDatabase}: {error.Message}; trying again in {wait.TotalSeconds:N1} s."));
            await status.InstallSchemaAsync(cancellationToken).ConfigureAwait(false);
            var owner = RunOwner.ThisProcess();
            var (run, resumed, joined) = await OpenRunAsync(status, source, owner, cancellationToken).ConfigureAwait(false);
            var ownerToken = joined ? null : owner.Token;
            reporter.Information(
                $"{(joined ? "Joined" : resumed ? "Resuming" : "Started")} run {run.RunId} for source '{source.SourceName}' into database {source.TargetPgDatabase}.");

            var clock = Stopwatch.StartNew();
            var deadline = Deadline.After(options.MaxDuration, TimeSpan.FromSeconds(config.DeadlineBufferSeconds), options.TimeProvider);
            using var runStopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var heartbeat = KeepRunAliveAsync(status, run.RunId, ownerToken, runStopped);
            var tables = new List<TableResult>();
            var final = RunStatus.Failed;
            string? error = null;
            try
            {
                if (resumed)
                {
                    await status.Chunks.ReleaseStaleClaimsAsync(run.RunId, options.StaleClaimAfter, runStopped.Token).ConfigureAwait(false);
                    await ReleaseClaimsOfEndedProcessesAsync(status, run.RunId, runStopped.Token).ConfigureAwait(false);
                    var requeued = await status.Chunks.RequeueFailedChunksAsync(run.RunId, runStopped.Token).ConfigureAwait(false);
                    if (requeued > 0)
                    {
                        reporter.Information($"{requeued} failed chunk(s) of run {run.RunId} go back to pending for another try.");
                    }
                }

                var snowflake = SourceFor(client, source).WithQueryTag(SnowflakeSessionParameters.QueryTagFor(run.RunId));
                var preparer = new TablePreparer(config, source, snowflake, dataSource, reporter);
                foreach (var table in SelectTables(source))
                {
                    // No time left to claim a chunk: do not plan (or truncate) a table only to load nothing into it.
                    if (runStopped.IsCancellationRequested || !deadline.CheckBeforeClaim())
                    {
                        break;
                    }

                    tables.Add(await MigrateTableAsync(status, dataSource, budget, snowflake, preparer, source, table, run.RunId, ownerToken, joined, deadline, runStopped.Token)
                        .ConfigureAwait(false));
                }

                final = FinalStatus(tables, deadline, runStopped.IsCancellationRequested);
            }
            catch (OperationCanceledException) when (runStopped.IsCancellationRequested)
            {
                final = RunStatus.Cancelled;
                error = cancellationToken.IsCancellationRequested ? "cancelled by the user" : "stopped by an administrator";
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                final = RunStatus.Failed;
                error = ex.Message;
                throw;
            }
            finally
            {
                await runStopped.CancelAsync().ConfigureAwait(false);
                await heartbeat.ConfigureAwait(false);
                if (!joined)
                {
                    var recorded = await FinishOwnedRunAsync(status, run.RunId, ownerToken, final, error ?? TablesError(tables)).ConfigureAwait(false);
                    if (recorded is null)
                    {
                        reporter.Warning($"Run {run.RunId} was removed from the status schema while this process worked on it; nothing more is recorded.");
                    }
                    else if ((run = recorded).Status == final && run.OwnerToken == ownerToken)
                    {
                        reporter.Information($"Run {run.RunId} ended {StatusText.ToText(final)}.");
                    }
                    else
                    {
                        // Stopped by an administrator, or taken over: what is recorded stands.
                        reporter.Warning($"Run {run.RunId} is recorded {StatusText.ToText(run.Status)} elsewhere; this process ended {StatusText.ToText(final)} and leaves that record as it is.");
                    }
                }
            }

            return new RunResult
            {
                RunId = run.RunId,
                SourceName = source.SourceName,
                // A joined process reports how the tables it shared ended (it waited for every chunk), not the owner's "running".
                // A run found completed by another hand (its owner, or an administrator's force-complete) stays completed.
                Status = run.Status == RunStatus.Completed ? RunStatus.Completed : final,
                Resumed = resumed,
                Joined = joined,
                TargetDatabase = source.TargetPgDatabase,
                StartedAt = run.StartedAt,
                Tables = tables,
                Elapsed = clock.Elapsed,
                Error = error ?? TablesError(tables),
            };
        }
    }

    /// <summary>The run's final status, recorded only while this process owns it; null when the run's record is gone.</summary>
    private static async Task<RunRecord?> FinishOwnedRunAsync(StatusStore status, Guid runId, Guid? ownerToken, RunStatus final, string? error)
    {
        try
        {
            return await status.Runs.FinishRunAsync(runId, ownerToken, final, error, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SfPgException ex) when (ex.Error == ErrorCatalog.RunNotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Claims held by workers of a process on this host that no longer exists (killed, crashed) go
    /// back to pending at once; otherwise a resume right after a crash would wait for them to go stale.
    /// Claims of other hosts, or of live processes, are left to the heartbeat rule.
    /// </summary>
    private async Task ReleaseClaimsOfEndedProcessesAsync(StatusStore status, Guid runId, CancellationToken cancellationToken)
    {
        var released = await status.Chunks.ReleaseClaimsOfEndedLocalProcessesAsync(runId, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in released)
        {
            reporter.Warning($"{chunk.Table} chunk {chunk.ChunkId}: the process that claimed it has ended; taking it over.");
        }
    }

    private async Task<(RunRecord Run, bool Resumed, bool Joined)> OpenRunAsync(
        StatusStore status, SourceConfig source, RunOwner owner, CancellationToken cancellationToken)
    {
        // Per source, so editing one source of a file does not stop another's run from resuming.
        var configHash = ConfigHasher.Compute(config, source.SourceName);
        var canonical = System.Text.Encoding.UTF8.GetString(ConfigHasher.CanonicalForm(config, source.SourceName));
        if (options.JoinRunId is { } joinId)
        {
            var run = await status.Runs.GetRunAsync(joinId, cancellationToken).ConfigureAwait(false)
                ?? throw new SfPgException(ErrorCatalog.RunNotFound, $"No run {joinId} in database {source.TargetPgDatabase}.", joinId.ToString(), null);
            if (run.Status != RunStatus.Running)
            {
                throw new SfPgException(ErrorCatalog.JoinRefused, $"Run {joinId} is {StatusText.ToText(run.Status)}, not running; there is nothing to join.", joinId.ToString(), null);
            }

            return (run, false, true);
        }

        if (options.ResumeRunId is { } resumeId)
        {
            var run = await status.Runs.GetRunAsync(resumeId, cancellationToken).ConfigureAwait(false) ?? throw RunStore.NotFound(resumeId);
            var changed = run.ConfigHash != configHash;
            if (changed && !options.Force && run.Status != RunStatus.Completed)
            {
                var differences = ConfigDifferences.Between(run.ConfigCanonical, canonical);
                throw new SfPgException(
                    ErrorCatalog.ResumeConfigChanged,
                    $"Run {resumeId} of source '{run.SourceName}' was started with another config; resuming it with this one would load what the run never planned. " +
                    $"Differences: {string.Join("; ", differences)}. Use the run's own config, start fresh with --no-resume (-NoResume), or accept the differences with --force (-Force).",
                    target: resumeId.ToString(),
                    recommendedAction: null);
            }

            return (await TakeOverAsync(status, run, owner, changed ? (configHash, canonical) : null, cancellationToken).ConfigureAwait(false), true, false);
        }

        if (!options.NoResume)
        {
            var lookup = await status.Runs.FindResumableRunAsync(source.SourceName, configHash, options.ResumeMaxAge, cancellationToken).ConfigureAwait(false);
            if (lookup.Resumable is { } resumable)
            {
                return (await TakeOverAsync(status, resumable, owner, null, cancellationToken).ConfigureAwait(false), true, false);
            }

            if (lookup.TooOld.Count > 0)
            {
                var old = lookup.TooOld[0];
                throw new SfPgException(
                    ErrorCatalog.ResumeWindowExpired,
                    $"Run {old.RunId} of source '{source.SourceName}' is unfinished ({StatusText.ToText(old.Status)}, last heartbeat {old.HeartbeatAt:u}, " +
                    $"older than the resume window of {options.ResumeMaxAge.TotalHours:0.#} h). Its completed chunks would be abandoned by a new run. " +
                    $"Resume it with --resume-run-id {old.RunId} (Resume-SfPgMigration -RunId {old.RunId}), or start fresh with --no-resume (-NoResume).",
                    target: old.RunId.ToString(),
                    recommendedAction: null);
            }
        }

        var created = await status.Runs.CreateRunAsync(
            new NewRun
            {
                SourceName = source.SourceName, ConfigHash = configHash, ConfigCanonical = canonical, OwnerToken = owner.Token,
                HostName = owner.HostName, ProcessId = owner.ProcessId,
                WorkerInfo = $"{options.ThrottleLimit ?? config.ParallelThreads} workers",
            },
            cancellationToken).ConfigureAwait(false);
        return (created, false, false);
    }

    /// <summary>One owner per run: a run whose process is alive is refused (join it instead); a dead owner's run is taken atomically.</summary>
    private async Task<RunRecord> TakeOverAsync(
        StatusStore status, RunRecord run, RunOwner owner, (string Hash, string Canonical)? newConfig, CancellationToken cancellationToken)
    {
        if (RunLiveness.IsLive(run, options.StaleClaimAfter))
        {
            throw RunStore.OwnedByLiveProcess(run);
        }

        if (run.Status == RunStatus.Running)
        {
            reporter.Warning($"Run {run.RunId} was left running by host {run.HostName}, pid {run.ProcessId}, which has stopped (last heartbeat {run.HeartbeatAge.TotalSeconds:N0} s ago); taking it over.");
        }

        return await status.Runs.TakeOverRunAsync(run.RunId, run, owner, newConfig, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableResult> MigrateTableAsync(
        StatusStore status,
        NpgsqlDataSource dataSource,
        ConnectionBudget budget,
        SnowflakeSource snowflake,
        TablePreparer preparer,
        SourceConfig source,
        TableConfig table,
        Guid runId,
        Guid? ownerToken,
        bool joined,
        Deadline deadline,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        snowflake = snowflake.WithQueryTag(SnowflakeSessionParameters.QueryTagFor(runId, table.Target));
        var sourceTable = preparer.SourceTableOf(table);
        var recorded = await status.Tables.GetTableAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
        if (recorded is { Status: ProgressStatus.Completed })
        {
            reporter.Verbose($"{table.Target}: completed and verified earlier in run {runId}.");
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
            var method = await PlanOrReuseAsync(status, preparer, indexes, source, table, sourceTable, recorded, runId, ownerToken, joined, cancellationToken)
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
                reporter.Warning($"{table.Target}: {requested} workers asked for, but the target server accepts {budget.Available} more connection(s) " +
                                 $"(max_connections {budget.MaxConnections}, {budget.InUse} in use); using {workers} worker(s).");
            }

            var ready = new PreparedTable(table, sourceTable, source.TargetPgSchema, writer, columns, workers);
            await status.Tables.StartTableAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
            var before = await status.Chunks.ListChunksAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
            copier = new TableCopier(dataSource, status, snowflake, options, config.MaxRetryAttempts, deadline, reporter,
                Interlocked.Increment(ref _activityIds), $"{Environment.MachineName}:{Environment.ProcessId}:{table.Target}");
            await copier.CopyAsync(runId, ready, before.Sum(c => c.ExpectedRows ?? 0),
                before.Where(c => c.Status == ProgressStatus.Completed).Sum(c => c.RowsCopied), cancellationToken).ConfigureAwait(false);

            if (table.DisableIndex && !joined)
            {
                // Restored before verification; the finally below covers every other way out.
                await indexes.RestoreAsync(runId, source.TargetPgSchema, table.Target, CancellationToken.None).ConfigureAwait(false);
            }

            var deletions = await DeleteMissingStep.BeforeVerdictAsync(status, method, joined, snowflake, dataSource, source, table, runId, reporter, cancellationToken).ConfigureAwait(false);
            return await FinishTableAsync(status, dataSource, snowflake, preparer, ready, runId, source, table, sourceTable, method, copier.RowsThisRun, deletions, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException
                                   && !IsRunLost(ex))
        {
            reporter.Warning($"{table.Target}: {ex.Message}");
            if (!joined)
            {
                // Only the owner records a table's verdict on the shared run.
                await RecordTableFailureAsync(status, runId, source, table, sourceTable, ex.Message).ConfigureAwait(false);
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
    /// The table's load method: the one this run recorded with its plan, or a new plan recorded in one
    /// transaction with the table's loader, its truncate and its chunks. A table planned in a run is not
    /// planned again in it, except when its verdict was incomplete (re-planned afresh, so the default command
    /// converges) or, with --force, when a newer run has loaded the table since.
    /// </summary>
    private async Task<LoadMethod> PlanOrReuseAsync(
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

                reporter.Warning($"{table.Target}: run {loader.RunId} has loaded the table since run {runId} planned it; --force re-plans it in run {runId}.");
                replan = true;
            }
            else if (recorded!.Status == ProgressStatus.Incomplete)
            {
                reporter.Information($"{table.Target}: its last verdict was incomplete; planning it afresh in run {runId}.");
                replan = true;
            }
            else
            {
                await EnsureStillOwnedAsync(status, runId, ownerToken, table.Target, cancellationToken).ConfigureAwait(false);
                return ParseMethod(recorded.LoadMethod!);
            }
        }

        await indexes.RestoreLeftoversAsync(source.TargetPgSchema, table.Target, runId, cancellationToken).ConfigureAwait(false);
        var prepared = await preparer.PlanAsync(table, cancellationToken).ConfigureAwait(false);
        var recordedNow = await status.Loaders.RecordPlanAsync(new PlanRecording
        {
            Plan = new Status.TablePlan
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
            Chunks = TablePreparer.ToStatusChunks(prepared, table),
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

        reporter.Information($"{table.Target}: {prepared.Plan.Strategy.ToName()} ({prepared.Plan.Reason}); {prepared.Plan.Chunks.Count} chunk(s), " +
                             $"{prepared.Plan.ExpectedRows:N0} rows; {prepared.Method.ToName()} ({prepared.MethodReason})" +
                             (table.TruncateOnStart ? "; truncated with the plan (truncate_onstart)." : "."));
        return prepared.Method;
    }

    /// <summary>Stops the run before it touches another table when its record is gone, stopped, or owned by another process.</summary>
    private static async Task EnsureStillOwnedAsync(StatusStore status, Guid runId, Guid? ownerToken, string table, CancellationToken cancellationToken)
    {
        RunHeartbeat beat;
        try
        {
            beat = await status.Runs.HeartbeatAsync(runId, ownerToken, cancellationToken).ConfigureAwait(false);
        }
        catch (SfPgException ex) when (ex.Error == ErrorCatalog.RunNotFound)
        {
            throw TableLoaderStore.NoLongerOwned(runId, table);
        }

        if (!beat.Owned || beat.Status != RunStatus.Running)
        {
            throw TableLoaderStore.NoLongerOwned(runId, table);
        }
    }

    private async Task<TableResult> FinishTableAsync(
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
                reporter.Warning($"{table.Target} is INCOMPLETE: {verification}. " +
                                 "The next run of the same command plans this table afresh (or run it now with --table)." +
                                 (compared is { Equal: false } ? " sfpg repair (Repair-SfPgTable) re-loads exactly the ranges that differ." : ""));
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

    private async Task RecordTableFailureAsync(StatusStore status, Guid runId, SourceConfig source, TableConfig table, SnowflakeTableName sourceTable, string error)
    {
        try
        {
            await status.Tables.RecordTableAsync(new Status.TablePlan
            {
                RunId = runId, Table = table.Target, SourceTable = sourceTable.ToString(), TargetSchema = source.TargetPgSchema,
            }, CancellationToken.None).ConfigureAwait(false);
            await status.Tables.FinishTableAsync(new TableOutcome { RunId = runId, Table = table.Target, Status = ProgressStatus.Failed, Error = error },
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or SfPgException)
        {
            reporter.Warning($"{table.Target}: the failure could not be recorded: {ex.Message}");
        }
    }

    /// <summary>The run itself is gone or owned elsewhere: not one table's failure, the end of this process's run.</summary>
    /// <remarks>So is a Snowflake that was never reached: every other table would fail the same way.</remarks>
    private static bool IsRunLost(Exception ex) => ex is SfPgException sf && (sf.Error == ErrorCatalog.RunNoLongerOwned || sf.Error == ErrorCatalog.SnowflakeUnreachable);

    private static RunStatus FinalStatus(IReadOnlyList<TableResult> tables, Deadline deadline, bool cancelled)
    {
        if (cancelled)
        {
            return RunStatus.Cancelled;
        }

        if (deadline.Reached || tables.Any(t => t.Status is ProgressStatus.InProgress or ProgressStatus.Pending))
        {
            return RunStatus.Partial;
        }

        var completed = tables.Count(t => t.Status == ProgressStatus.Completed);
        return completed == tables.Count ? RunStatus.Completed
            : completed > 0 ? RunStatus.CompletedWithErrors
            : RunStatus.Failed;
    }

    private static string? TablesError(IReadOnlyList<TableResult> tables)
    {
        var bad = tables.Where(t => t.Status is ProgressStatus.Failed or ProgressStatus.Incomplete).ToList();
        return bad.Count == 0 ? null : string.Join("; ", bad.Select(t => $"{t.Table}: {t.Error ?? t.Verification}"));
    }

    private static LoadMethod ParseMethod(string name) =>
        Enum.GetValues<LoadMethod>().First(m => m.ToName() == name);

    /// <summary>
    /// Keeps the run's heartbeat fresh; stops the run's work when an administrator marks it stopped
    /// (Stop-SfPgRun), when its record is removed, or when another process has taken it over, so
    /// workers do not go on against a run this process no longer owns.
    /// </summary>
    private async Task KeepRunAliveAsync(StatusStore status, Guid runId, Guid? ownerToken, CancellationTokenSource runStopped)
    {
        while (!runStopped.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatInterval, options.TimeProvider, runStopped.Token).ConfigureAwait(false);
                var beat = await status.Runs.HeartbeatAsync(runId, ownerToken, runStopped.Token).ConfigureAwait(false);
                if (ownerToken is null && beat.Status is RunStatus.Completed)
                {
                    // Joined: the owner finished the run, so every chunk is done; this process's tables finish on their own.
                    return;
                }

                if (beat.Status != RunStatus.Running || !beat.Owned)
                {
                    reporter.Warning(beat.Owned
                        ? $"Run {runId} was marked {StatusText.ToText(beat.Status)} elsewhere; stopping."
                        : $"Run {runId} was taken over by another process; stopping.");
                    await runStopped.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SfPgException ex) when (ex.Error == ErrorCatalog.RunNotFound)
            {
                reporter.Warning($"Run {runId} was removed from the status schema; stopping before touching another table.");
                await runStopped.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException ex)
            {
                // One missed beat is harmless; the run only looks stale if they keep failing.
                reporter.Warning($"Run {runId}: heartbeat failed ({ex.Message}).");
            }
        }
    }
}
