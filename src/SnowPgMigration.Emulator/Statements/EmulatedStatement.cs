using SnowPgMigration.Emulator.Results;

namespace SnowPgMigration.Emulator.Statements;

/// <summary>
/// A submitted statement: its handle, the request id it came with, and its outcome once PostgreSQL has
/// answered. The handle has Snowflake's 8-4-4-4-12 shape.
/// </summary>
internal sealed class EmulatedStatement : IDisposable
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cancelRequested;
    private int _timedOut;

    public EmulatedStatement(string requestId)
    {
        RequestId = requestId;
        CreatedOn = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    }

    public string Handle { get; } = Guid.NewGuid().ToString("D");
    public string RequestId { get; }
    public long CreatedOn { get; }
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes when the statement has succeeded or failed (cancellation is a failure).</summary>
    public Task Finished => _finished.Task;
    public bool IsFinished => _finished.Task.IsCompleted;
    public DateTimeOffset? FinishedAt { get; private set; }
    public StatementResult? Result { get; private set; }
    public SnowflakeError? Error { get; private set; }
    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;
    public bool TimedOut => Volatile.Read(ref _timedOut) == 1;

    public void Succeed(StatementResult result)
    {
        Result = result;
        FinishedAt = DateTimeOffset.UtcNow;
        _finished.TrySetResult();
    }

    public void Fail(SnowflakeError error)
    {
        Error = error;
        FinishedAt = DateTimeOffset.UtcNow;
        _finished.TrySetResult();
    }

    /// <summary>Asks the running PostgreSQL query to stop; the statement then fails with 000604.</summary>
    public void RequestCancel()
    {
        if (IsFinished)
        {
            return;
        }

        Interlocked.Exchange(ref _cancelRequested, 1);
        try
        {
            Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Finished in the meantime.
        }
    }

    public void MarkTimedOut()
    {
        Interlocked.Exchange(ref _timedOut, 1);
        RequestCancel();
        Interlocked.Exchange(ref _cancelRequested, 0);
    }

    public void Dispose()
    {
        Result?.Dispose();
        Cancellation.Dispose();
    }
}
