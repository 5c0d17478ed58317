using System.Diagnostics;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Planning;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;

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
        using var client = SnowflakeClient.Create(config.Snowflake, snowflakeOptions);
        if (options.DryRun)
        {
            var plans = new List<TableDryRun>();
            foreach (var source in sources)
            {
                plans.AddRange(await DryRunAsync(client, source, cancellationToken).ConfigureAwait(false));
            }

            return new MigrationResult { IsDryRun = true, DryRun = plans };
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
            .Where(s => options.Source is null ? s.Enabled : string.Equals(s.SourceName, options.Source, StringComparison.OrdinalIgnoreCase))
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
            var preparer = new TablePreparer(config, source, snowflake, dataSource, reporter);
            var results = new List<TableDryRun>();
            foreach (var table in SelectTables(source))
            {
                var sourceTable = preparer.SourceTableOf(table).ToString();
                try
                {
                    var prepared = await preparer.PlanAsync(table, apply: false, cancellationToken).ConfigureAwait(false);
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
        var dataSource = TargetConnection.CreateDataSource(TargetConnection.ConnectionString(config.Postgres, source.TargetPgDatabase));
        await using (dataSource.ConfigureAwait(false))
        {
            var status = new StatusStore(dataSource);
            await status.InstallSchemaAsync(cancellationToken).ConfigureAwait(false);
            var (run, resumed, joined) = await OpenRunAsync(status, source, cancellationToken).ConfigureAwait(false);
            reporter.Information(
                $"{(joined ? "Joined" : resumed ? "Resuming" : "Started")} run {run.RunId} for source '{source.SourceName}' into database {source.TargetPgDatabase}.");

            var clock = Stopwatch.StartNew();
            var deadline = Deadline.After(options.MaxDuration, TimeSpan.FromSeconds(config.DeadlineBufferSeconds));
            using var runStopped = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var heartbeat = KeepRunAliveAsync(status, run.RunId, runStopped);
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
                    if (runStopped.IsCancellationRequested || deadline.Reached)
                    {
                        break;
                    }

                    tables.Add(await MigrateTableAsync(status, dataSource, snowflake, preparer, source, table, run.RunId, joined, deadline, runStopped.Token)
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
                    run = await status.Runs.FinishRunAsync(run.RunId, final, error ?? TablesError(tables), CancellationToken.None).ConfigureAwait(false);
                    reporter.Information($"Run {run.RunId} ended {StatusText.ToText(final)}.");
                }
            }

            return new RunResult
            {
                RunId = run.RunId,
                SourceName = source.SourceName,
                // A joined process reports how the tables it shared ended (it waited for every chunk), not the owner's "running".
                Status = final,
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

    /// <summary>
    /// Claims held by workers of a process on this host that no longer exists (killed, crashed) go
    /// back to pending at once; otherwise a resume right after a crash would wait for them to go stale.
    /// Claims of other hosts, or of live processes, are left to the heartbeat rule.
    /// </summary>
    private async Task ReleaseClaimsOfEndedProcessesAsync(StatusStore status, Guid runId, CancellationToken cancellationToken)
    {
        var workers = await status.Chunks.ListClaimingWorkersAsync(runId, cancellationToken).ConfigureAwait(false);
        var ended = workers.Where(IsWorkerOfEndedLocalProcess).ToList();
        var released = await status.Chunks.ReleaseClaimsOfWorkersAsync(runId, ended, cancellationToken).ConfigureAwait(false);
        foreach (var chunk in released)
        {
            reporter.Warning($"{chunk.Table} chunk {chunk.ChunkId}: the process that claimed it has ended; taking it over.");
        }
    }

    /// <summary>Worker ids are <c>host:pid:...</c>; true when the host is this one and the pid is not running.</summary>
    internal static bool IsWorkerOfEndedLocalProcess(string workerId)
    {
        var parts = workerId.Split(':');
        if (parts.Length < 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.Ordinal)
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            || pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private async Task<(RunRecord Run, bool Resumed, bool Joined)> OpenRunAsync(StatusStore status, SourceConfig source, CancellationToken cancellationToken)
    {
        // Per source, so editing one source of a file does not stop another's run from resuming.
        var configHash = ConfigHasher.Compute(config, source.SourceName);
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
            return (await status.Runs.ResumeRunAsync(resumeId, cancellationToken).ConfigureAwait(false), true, false);
        }

        if (!options.NoResume)
        {
            var lookup = await status.Runs.FindResumableRunAsync(source.SourceName, configHash, options.ResumeMaxAge, cancellationToken).ConfigureAwait(false);
            if (lookup.Resumable is { } resumable)
            {
                return (await status.Runs.ResumeRunAsync(resumable.RunId, cancellationToken).ConfigureAwait(false), true, false);
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
            new NewRun { SourceName = source.SourceName, ConfigHash = configHash, WorkerInfo = $"{options.ThrottleLimit ?? config.ParallelThreads} workers" },
            cancellationToken).ConfigureAwait(false);
        return (created, false, false);
    }

    private async Task<TableResult> MigrateTableAsync(
        StatusStore status,
        NpgsqlDataSource dataSource,
        SnowflakeSource snowflake,
        TablePreparer preparer,
        SourceConfig source,
        TableConfig table,
        Guid runId,
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
            var method = await PlanOrReuseAsync(status, preparer, indexes, source, table, sourceTable, recorded, runId, joined, cancellationToken)
                .ConfigureAwait(false);

            if (table.DisableIndex && !joined)
            {
                await indexes.DropAsync(runId, source.TargetPgSchema, table.Target, method == LoadMethod.Copy ? null : table.UniquenessColumns, cancellationToken)
                    .ConfigureAwait(false);
            }

            var (writer, columns) = await preparer.BuildWriterAsync(table, method, cancellationToken).ConfigureAwait(false);
            var ready = new PreparedTable(table, sourceTable, source.TargetPgSchema, writer, columns,
                Math.Max(1, options.ThrottleLimit ?? table.ParallelThreads ?? config.ParallelThreads));
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

            return await FinishTableAsync(status, runId, table, sourceTable, method, copier.RowsThisRun, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            reporter.Warning($"{table.Target}: {ex.Message}");
            await RecordTableFailureAsync(status, runId, source, table, sourceTable, ex.Message).ConfigureAwait(false);
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
                await indexes.RestoreAsync(runId, source.TargetPgSchema, table.Target, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The table's load method: the one a resumed run recorded (switched to upsert when a later run has
    /// loaded the table since), or a new plan recorded with its chunks.
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
        bool joined,
        CancellationToken cancellationToken)
    {
        LoadMethod method;
        if (recorded?.LoadMethod is { } recordedMethod && recorded.Chunks.Total > 0)
        {
            method = ParseMethod(recordedMethod);
            if (method == LoadMethod.Copy && !joined && !table.TruncateOnStart && table.UniquenessColumns.Count > 0
                && await status.Tables.HasRowsFromLaterRunsAsync(runId, source.TargetPgSchema, table.Target, cancellationToken).ConfigureAwait(false))
            {
                // Planned over an empty table, but a later run has loaded rows since: COPY would hit their keys.
                method = table.InsertOnlyMode ? LoadMethod.InsertOnly : LoadMethod.Upsert;
                reporter.Warning($"{table.Target}: a later run loaded rows into the table after run {runId} was planned; its remaining chunks use {method.ToName()} instead of copy.");
                await status.Tables.RecordTableAsync(new Status.TablePlan
                {
                    RunId = runId, Table = table.Target, SourceTable = sourceTable.ToString(), TargetSchema = source.TargetPgSchema, LoadMethod = method.ToName(),
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            if (joined)
            {
                throw new SfPgException(ErrorCatalog.JoinRefused, $"Table {table.Target} has not been planned in run {runId} yet; join once the owner has planned it.", table.Target, null);
            }

            await indexes.RestoreLeftoversAsync(source.TargetPgSchema, table.Target, runId, cancellationToken).ConfigureAwait(false);
            var prepared = await preparer.PlanAsync(table, apply: true, cancellationToken).ConfigureAwait(false);
            method = prepared.Method;
            reporter.Information($"{table.Target}: {prepared.Plan.Strategy.ToName()} ({prepared.Plan.Reason}); {prepared.Plan.Chunks.Count} chunk(s), " +
                                 $"{prepared.Plan.ExpectedRows:N0} rows; {method.ToName()} ({prepared.MethodReason}).");
            await status.Tables.RecordTableAsync(new Status.TablePlan
            {
                RunId = runId,
                Table = table.Target,
                SourceTable = sourceTable.ToString(),
                TargetSchema = source.TargetPgSchema,
                LoadMethod = method.ToName(),
                Strategy = prepared.Plan.Strategy.ToName(),
                SourceRowCount = prepared.Plan.ExpectedRows,
            }, cancellationToken).ConfigureAwait(false);
            await status.Chunks.RecordChunksAsync(runId, table.Target, TablePreparer.ToStatusChunks(prepared.Plan), cancellationToken).ConfigureAwait(false);
        }

        return method;
    }

    private async Task<TableResult> FinishTableAsync(
        StatusStore status, Guid runId, TableConfig table, SnowflakeTableName sourceTable, LoadMethod method, long rowsThisRun, Stopwatch clock, CancellationToken cancellationToken)
    {
        var chunks = await status.Chunks.ListChunksAsync(runId, table.Target, cancellationToken).ConfigureAwait(false);
        var expected = chunks.Sum(c => c.ExpectedRows ?? 0);
        var copied = chunks.Where(c => c.Status == ProgressStatus.Completed).Sum(c => c.RowsCopied);
        var failed = chunks.Count(c => c.Status == ProgressStatus.Failed);
        var unfinished = chunks.Count(c => c.Status is ProgressStatus.Pending or ProgressStatus.InProgress);
        ProgressStatus outcome;
        string verification;
        string? error = null;
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
            if (mismatched.Count > 0)
            {
                reporter.Warning($"{table.Target} is INCOMPLETE: {verification}. The source changed during the run or rows were lost; re-run the table.");
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
        }, CancellationToken.None).ConfigureAwait(false);

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
    /// (Stop-SfPgRun) so workers do not go on against a cancelled run.
    /// </summary>
    private async Task KeepRunAliveAsync(StatusStore status, Guid runId, CancellationTokenSource runStopped)
    {
        while (!runStopped.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.HeartbeatInterval, runStopped.Token).ConfigureAwait(false);
                var current = await status.Runs.HeartbeatAsync(runId, runStopped.Token).ConfigureAwait(false);
                if (current != RunStatus.Running)
                {
                    reporter.Warning($"Run {runId} was marked {StatusText.ToText(current)} elsewhere; stopping.");
                    await runStopped.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
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
