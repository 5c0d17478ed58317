using Microsoft.Extensions.Logging;
using System.Diagnostics;
using Npgsql;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Reporting;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.Engine.Unload;

namespace SnowPgMigration.Engine.Execution;

/// <summary>
/// Runs a table's workers: each claims pending chunks (FOR UPDATE SKIP LOCKED, so other processes
/// joining the run share them), copies them, and retries failures with exponential backoff and
/// jitter up to <c>max_retry_attempts</c>. The back-off is the chunk's (<c>next_attempt_at</c>): the
/// worker goes on with other chunks meanwhile. One failing chunk never stops the others.
/// </summary>
internal sealed class TableCopier(
    NpgsqlDataSource target,
    StatusStore status,
    SnowflakeSource source,
    MigrationOptions options,
    int maxAttempts,
    Deadline deadline,
    IEngineReporter reporter,
    int progressActivityId,
    string workerPrefix,
    UnloadChunkCopier? unload = null)
{
    private readonly SystemicFailures _systemic = new();
    private readonly ILogger _logger = reporter.LoggerFactory.CreateLogger<TableCopier>();
    private long _rowsThisRun;

    public long RowsThisRun => Interlocked.Read(ref _rowsThisRun);

    /// <summary>Copies every claimable chunk of the table; returns when none is left for this process.</summary>
    public async Task CopyAsync(Guid runId, PreparedTable table, long rowsExpected, long rowsAlreadyCopied, CancellationToken cancellationToken)
    {
        var copier = new ChunkCopier(target, status.Chunks, source, table, options.HeartbeatInterval, options.TimeProvider, unload);
        var clock = Stopwatch.StartNew();
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ReportProgressAsync(table, rowsExpected, rowsAlreadyCopied, clock, progressStop.Token);
        try
        {
            var workers = Enumerable.Range(1, table.Workers)
                .Select(n => Task.Run(() => WorkAsync(runId, table, copier, $"{workerPrefix}-{n}", cancellationToken), cancellationToken))
                .ToList();
            await Task.WhenAll(workers).ConfigureAwait(false);
            await WaitForOtherProcessesAsync(runId, table, copier, cancellationToken).ConfigureAwait(false);
            if (_systemic.Tripped)
            {
                throw _systemic.StoppedError($"{table.TargetSchema}.{table.Config.Target}");
            }
        }
        finally
        {
            await progressStop.CancelAsync().ConfigureAwait(false);
            await progress.ConfigureAwait(false);
            Report(table, rowsExpected, rowsAlreadyCopied, clock, completed: true);
        }
    }

    private async Task WorkAsync(Guid runId, PreparedTable table, ChunkCopier copier, string workerId, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !_systemic.Tripped && deadline.CheckBeforeClaim())
        {
            var claim = await status.Chunks.ClaimNextChunkAsync(runId, table.Config.Target, workerId, cancellationToken).ConfigureAwait(false);
            if (claim is null)
            {
                // Chunks waiting out a retry back-off are still this table's work: wait for the earliest, do not leave it behind.
                var due = await status.Chunks.TimeUntilNextDueAsync(runId, table.Config.Target, cancellationToken).ConfigureAwait(false);
                if (due is null)
                {
                    if (unload is not null && await HelpWithFilesAsync(runId, table, workerId, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    return;
                }

                await Task.Delay(Clamp(due.Value, TimeSpan.FromMilliseconds(10), options.HeartbeatInterval), options.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await CopyOneAsync(claim, copier, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// No chunk left to claim: an unload table's idle worker loads files of the chunks others hold, and stays while
    /// this process's own workers hold chunks whose files may still appear. Other processes' chunks are waited for
    /// (and taken over when stale) by <see cref="WaitForOtherProcessesAsync"/>.
    /// </summary>
    private async Task<bool> HelpWithFilesAsync(Guid runId, PreparedTable table, string workerId, CancellationToken cancellationToken)
    {
        var helped = await unload!.HelpWithFilesAsync(runId, workerId, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _rowsThisRun, helped);
        if (helped > 0)
        {
            return true;
        }

        var chunks = await status.Chunks.ListChunksAsync(runId, table.Config.Target, cancellationToken).ConfigureAwait(false);
        if (!chunks.Any(c => c.Status == ProgressStatus.InProgress && c.WorkerId?.StartsWith(workerPrefix + "-", StringComparison.Ordinal) == true))
        {
            return false;
        }

        await Task.Delay(options.HeartbeatInterval / 2, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task CopyOneAsync(ChunkClaim claim, ChunkCopier copier, CancellationToken cancellationToken)
    {
        long attemptRows = 0;
        void OnRows(long rows)
        {
            attemptRows += rows;
            Interlocked.Add(ref _rowsThisRun, rows);
        }

        try
        {
            await copier.CopyAsync(claim, OnRows, cancellationToken).ConfigureAwait(false);
            EngineLog.ChunkCommitted(_logger, claim.Table, claim.ChunkId, attemptRows, claim.WorkerId);
            _systemic.Succeeded();
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Add(ref _rowsThisRun, -attemptRows);
            // Rolled back; give the chunk back so a resume takes it at once instead of waiting for it to go stale.
            await status.Chunks.ReleaseChunkForRetryAsync(claim, "cancelled while in progress", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Add(ref _rowsThisRun, -attemptRows);
            EngineLog.ChunkAttemptRolledBack(_logger, claim.Table, claim.ChunkId);
            return;
        }
        catch (SfPgException ex) when (ex.Error == ErrorCatalog.ChunkClaimLost)
        {
            Interlocked.Add(ref _rowsThisRun, -attemptRows);
            EngineLog.ChunkClaimLost(_logger, ex.Code, ex.Message);
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.Add(ref _rowsThisRun, -attemptRows);
            await RecordFailureAsync(claim, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecordFailureAsync(ChunkClaim claim, Exception error, CancellationToken cancellationToken)
    {
        var message = error.Message;
        if (claim.Attempt < maxAttempts && FailureClassification.MayPassOnRetry(error))
        {
            var delay = RetryDelay(claim.Attempt);
            EngineLog.ChunkAttemptFailed(_logger, claim.Table, claim.ChunkId, claim.Attempt, maxAttempts, message, delay.TotalSeconds);
            await status.Chunks.ReleaseChunkForRetryAsync(claim, message, delay, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        EngineLog.ChunkFailed(_logger, claim.Table, claim.ChunkId, claim.Attempt, message);
        await status.Chunks.MarkChunkFailedAsync(claim, message, CancellationToken.None).ConfigureAwait(false);
        _systemic.Failed(error);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private TimeSpan RetryDelay(int attempt)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var jitter = Random.Shared.NextDouble() * options.RetryBaseDelay.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(Math.Min(exponential + jitter, TimeSpan.FromMinutes(1).TotalMilliseconds));
    }

    /// <summary>
    /// Other processes may still hold chunks of this table. Wait for them, taking over claims whose
    /// heartbeat went stale (their worker died) and copying whatever becomes pending again.
    /// </summary>
    private async Task WaitForOtherProcessesAsync(Guid runId, PreparedTable table, ChunkCopier copier, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !deadline.Reached && !_systemic.Tripped)
        {
            var chunks = await status.Chunks.ListChunksAsync(runId, table.Config.Target, cancellationToken).ConfigureAwait(false);
            if (!chunks.Any(c => c.Status is ProgressStatus.InProgress or ProgressStatus.Pending))
            {
                return;
            }

            var stale = await status.Chunks.ReleaseStaleClaimsAsync(runId, options.StaleClaimAfter, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in stale)
            {
                EngineLog.StaleChunkTakenOver(_logger, chunk.Table, chunk.ChunkId);
            }

            // A process on this host that has ended (a killed joiner) is known dead at once: no stale wait for it.
            var ended = await status.Chunks.ReleaseClaimsOfEndedLocalProcessesAsync(runId, cancellationToken).ConfigureAwait(false);
            foreach (var chunk in ended)
            {
                EngineLog.EndedProcessChunkTakenOver(_logger, chunk.Table, chunk.ChunkId);
            }

            stale = [.. stale, .. ended];

            if (chunks.Any(c => c.Status == ProgressStatus.Pending) || stale.Count > 0)
            {
                await WorkAsync(runId, table, copier, $"{workerPrefix}-1", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (unload is not null)
            {
                // Files of the chunks other processes hold are this process's work too.
                await WorkAsync(runId, table, copier, $"{workerPrefix}-1", cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(options.HeartbeatInterval / 2, options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReportProgressAsync(PreparedTable table, long expected, long already, Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                Report(table, expected, already, clock, completed: false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Report(PreparedTable table, long expected, long already, Stopwatch clock, bool completed)
    {
        var done = already + RowsThisRun;
        var seconds = clock.Elapsed.TotalSeconds;
        reporter.Report(new ProgressEvent(
            DateTimeOffset.UtcNow,
            progressActivityId,
            ParentActivityId: null,
            Activity: $"{table.SourceTable} -> {table.TargetSchema}.{table.Config.Target}",
            Status: table.Writer.Method.ToString(),
            PercentComplete: expected > 0 ? (int)Math.Clamp(done * 100 / expected, 0, 100) : null,
            RowsDone: done,
            RowsExpected: expected,
            RowsPerSecond: seconds > 0.5 ? RowsThisRun / seconds : null,
            Completed: completed));
    }
}
