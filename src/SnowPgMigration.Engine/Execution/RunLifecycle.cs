using Microsoft.Extensions.Logging;
using System.Diagnostics;
using Npgsql;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Snowflake;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// One source's run from start to end: opens it (new, resumed, taken over or joined), keeps its heartbeat
/// while <see cref="TableLoop"/> migrates its tables, stops when an administrator or another process ends
/// it, and records its final status on every path (invariant 3).
/// </summary>
internal sealed class RunLifecycle(MigrationConfig config, MigrationOptions options, IEngineReporter reporter, Func<int> nextActivityId)
{
    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<RunLifecycle>();

    public async Task<RunResult> RunSourceAsync(SnowflakeClient client, SourceConfig source, IReadOnlyList<TableConfig> selectedTables, CancellationToken cancellationToken)
    {
        var connectionString = TargetConnection.ConnectionString(config.Postgres, source.TargetPgDatabase);
        var budget = await ConnectionBudget.ReadAsync(connectionString, cancellationToken).ConfigureAwait(false);
        var dataSource = TargetConnection.CreateDataSource(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = budget.PoolSize(new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize),
            IncludeErrorDetail = true, // TargetDataError reads a refused key's value from the detail; no setting left to advise.
        }.ConnectionString, reporter.LoggerFactory);
        await using (dataSource.ConfigureAwait(false))
        {
            var status = new StatusStore(dataSource, PostgresRetry.DefaultBudget,
                (error, wait) => EngineLog.StatusDatabaseRetry(_logger, source.TargetPgDatabase, error.Message, wait.TotalSeconds));
            await status.InstallSchemaAsync(cancellationToken).ConfigureAwait(false);
            var owner = RunOwner.ThisProcess();
            var (run, resumed, joined) = await OpenRunAsync(status, source, owner, cancellationToken).ConfigureAwait(false);
            var ownerToken = joined ? null : owner.Token;
            if (joined)
            {
                EngineLog.RunJoined(_logger, run.RunId, source.SourceName, source.TargetPgDatabase);
            }
            else if (resumed)
            {
                EngineLog.RunResumed(_logger, run.RunId, source.SourceName, source.TargetPgDatabase);
            }
            else
            {
                EngineLog.RunStarted(_logger, run.RunId, source.SourceName, source.TargetPgDatabase);
            }

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
                        EngineLog.FailedChunksRequeued(_logger, requeued, run.RunId);
                    }
                }

                var snowflake = SnowflakeSource.Of(client, config.Snowflake, source).WithQueryTag(SnowflakeSessionParameters.QueryTagFor(run.RunId));
                var preparer = new TablePreparer(config, source, snowflake, dataSource, reporter);
                var loop = new TableLoop(config, options, reporter, nextActivityId, status, dataSource, budget, snowflake, preparer, source, run.RunId, ownerToken, joined, deadline);
                await loop.MigrateTablesAsync(selectedTables, tables, runStopped.Token).ConfigureAwait(false);

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
                        EngineLog.RunRemovedWhileWorking(_logger, run.RunId);
                    }
                    else if ((run = recorded).Status == final && run.OwnerToken == ownerToken)
                    {
                        var ended = StatusText.ToText(final);
                        EngineLog.RunEnded(_logger, run.RunId, ended);
                    }
                    else
                    {
                        // Stopped by an administrator, or taken over: what is recorded stands.
                        var recordedStatus = StatusText.ToText(run.Status);
                        var ended = StatusText.ToText(final);
                        EngineLog.RunRecordedElsewhere(_logger, run.RunId, recordedStatus, ended);
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
            EngineLog.EndedProcessChunkTakenOver(_logger, chunk.Table, chunk.ChunkId);
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
            EngineLog.StoppedRunTakenOver(_logger, run.RunId, run.HostName, run.ProcessId, run.HeartbeatAge.TotalSeconds);
        }

        return await status.Runs.TakeOverRunAsync(run.RunId, run, owner, newConfig, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the run before it touches another table when its record is gone, stopped, or owned by another process.</summary>
    internal static async Task EnsureStillOwnedAsync(StatusStore status, Guid runId, Guid? ownerToken, string table, CancellationToken cancellationToken)
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
                    if (beat.Owned)
                    {
                        var marked = StatusText.ToText(beat.Status);
                        EngineLog.RunMarkedElsewhere(_logger, runId, marked);
                    }
                    else
                    {
                        EngineLog.RunTakenOverElsewhere(_logger, runId);
                    }
                    await runStopped.CancelAsync().ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SfPgException ex) when (ex.Error == ErrorCatalog.RunNotFound)
            {
                EngineLog.RunRemovedStopping(_logger, runId);
                await runStopped.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (NpgsqlException ex)
            {
                // One missed beat is harmless; the run only looks stale if they keep failing.
                EngineLog.HeartbeatFailed(_logger, runId, ex.Message);
            }
        }
    }
}
