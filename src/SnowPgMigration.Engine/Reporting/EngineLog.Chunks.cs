using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>Chunks: commits, retries, failures, claims taken over (4300-4399).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "{Table} chunk {ChunkId}: {Rows:N0} rows committed by {WorkerId}.")]
    public static partial void ChunkCommitted(ILogger logger, string table, int chunkId, long rows, string? workerId);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Warning, Message = "{Table} chunk {ChunkId}: the claim was reset or taken over elsewhere; this attempt was rolled back.")]
    public static partial void ChunkAttemptRolledBack(ILogger logger, string table, int chunkId);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Warning, Message = "{Code}: {Reason}")]
    public static partial void ChunkClaimLost(ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "{Table} chunk {ChunkId}: attempt {Attempt} of {MaxAttempts} failed ({Reason}); it may be retried in {DelaySeconds:N1} s.")]
    public static partial void ChunkAttemptFailed(ILogger logger, string table, int chunkId, int attempt, int maxAttempts, string reason, double delaySeconds);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Warning, Message = "{Table} chunk {ChunkId} failed after {Attempts} attempt(s): {Reason}")]
    public static partial void ChunkFailed(ILogger logger, string table, int chunkId, int attempts, string reason);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Warning, Message = "{Table} chunk {ChunkId}: its worker stopped sending heartbeats; taking it over.")]
    public static partial void StaleChunkTakenOver(ILogger logger, string table, int chunkId);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Warning, Message = "{Table} chunk {ChunkId}: the process that claimed it has ended; taking it over.")]
    public static partial void EndedProcessChunkTakenOver(ILogger logger, string table, int chunkId);
}
