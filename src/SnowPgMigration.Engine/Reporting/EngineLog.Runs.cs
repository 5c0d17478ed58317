using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>Runs: opening, ending, taking over, heartbeats (4100-4199).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Started run {RunId} for source '{SourceName}' into database {Database}.")]
    public static partial void RunStarted(ILogger logger, Guid runId, string sourceName, string database);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Resuming run {RunId} for source '{SourceName}' into database {Database}.")]
    public static partial void RunResumed(ILogger logger, Guid runId, string sourceName, string database);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Joined run {RunId} for source '{SourceName}' into database {Database}.")]
    public static partial void RunJoined(ILogger logger, Guid runId, string sourceName, string database);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "{Chunks} failed chunk(s) of run {RunId} go back to pending for another try.")]
    public static partial void FailedChunksRequeued(ILogger logger, int chunks, Guid runId);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Run {RunId} ended {Status}.")]
    public static partial void RunEnded(ILogger logger, Guid runId, string status);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Run {RunId} was removed from the status schema while this process worked on it; nothing more is recorded.")]
    public static partial void RunRemovedWhileWorking(ILogger logger, Guid runId);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "Run {RunId} is recorded {RecordedStatus} elsewhere; this process ended {Status} and leaves that record as it is.")]
    public static partial void RunRecordedElsewhere(ILogger logger, Guid runId, string recordedStatus, string status);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Warning,
        Message = "Run {RunId} was left running by host {HostName}, pid {ProcessId}, which has stopped (last heartbeat {HeartbeatAgeSeconds:N0} s ago); taking it over.")]
    public static partial void StoppedRunTakenOver(ILogger logger, Guid runId, string? hostName, int? processId, double heartbeatAgeSeconds);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Warning, Message = "Run {RunId} was marked {Status} elsewhere; stopping.")]
    public static partial void RunMarkedElsewhere(ILogger logger, Guid runId, string status);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "Run {RunId} was taken over by another process; stopping.")]
    public static partial void RunTakenOverElsewhere(ILogger logger, Guid runId);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Run {RunId} was removed from the status schema; stopping before touching another table.")]
    public static partial void RunRemovedStopping(ILogger logger, Guid runId);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Run {RunId}: heartbeat failed ({Reason}).")]
    public static partial void HeartbeatFailed(ILogger logger, Guid runId, string reason);

    [LoggerMessage(EventId = 4113, Level = LogLevel.Debug, Message = "Status database {Database}: {Reason}; trying again in {DelaySeconds:N1} s.")]
    public static partial void StatusDatabaseRetry(ILogger logger, string database, string reason, double delaySeconds);

    [LoggerMessage(EventId = 4114, Level = LogLevel.Information, Message = "Started repair run {RunId} of {Table}: {Ranges} range(s) to re-load.")]
    public static partial void RepairRunStarted(ILogger logger, Guid runId, string table, int ranges);

    [LoggerMessage(EventId = 4115, Level = LogLevel.Information, Message = "Repair run {RunId} ended {Status}.")]
    public static partial void RepairRunEnded(ILogger logger, Guid runId, string status);
}
