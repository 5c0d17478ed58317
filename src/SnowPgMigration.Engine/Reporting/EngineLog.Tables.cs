using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>Tables: preparing, planning, the verdict, statistics (4200-4299).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "{SourceTable} -> {Table}: source column(s) {Columns} have no target column and are not copied.")]
    public static partial void SourceColumnsSkipped(ILogger logger, string sourceTable, string table, string columns);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "{Schema}.{Table}: ran {Statement}")]
    public static partial void TargetDdlRan(ILogger logger, string schema, string table, string statement);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information, Message = "{Schema}.{Table}: would run {Statement}")]
    public static partial void TargetDdlWouldRun(ILogger logger, string schema, string table, string statement);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Debug, Message = "{Table}: planning only rows with {SourceWatermark} >= {Newest} (newest {TargetWatermark} in the target).")]
    public static partial void PlanningNewerRowsOnly(ILogger logger, string table, string sourceWatermark, object newest, string targetWatermark);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "Table {Table}, {Column}: lossy conversion allowed, values are rounded or cut to fit.")]
    public static partial void LossyConversionAllowed(ILogger logger, string table, string column);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Information, Message = "{Table}: {Outcome}.")]
    public static partial void MissingRowsDeleted(ILogger logger, string table, string outcome);

    [LoggerMessage(EventId = 4207, Level = LogLevel.Information, Message = "{Table}: {Outcome} (first: {SampleKeys}).")]
    public static partial void MissingRowsDeletedWithKeys(ILogger logger, string table, string outcome, string sampleKeys);

    [LoggerMessage(EventId = 4208, Level = LogLevel.Debug, Message = "{Table}: completed and verified earlier in run {RunId}.")]
    public static partial void TableCompletedEarlier(ILogger logger, string table, Guid runId);

    [LoggerMessage(EventId = 4209, Level = LogLevel.Warning,
        Message = "{Table}: {Requested} workers asked for, but the target server accepts {Available} more connection(s) (max_connections {MaxConnections}, {InUse} in use); using {Workers} worker(s).")]
    public static partial void WorkersLimitedByServer(ILogger logger, string table, int requested, int available, int maxConnections, int inUse, int workers);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Warning, Message = "{Table}: {Reason}")]
    public static partial void TableFailed(ILogger logger, string table, string reason);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Warning, Message = "{Table}: run {LoaderRunId} has loaded the table since run {RunId} planned it; --force re-plans it in this run.")]
    public static partial void TableLoadedByNewerRun(ILogger logger, string table, Guid loaderRunId, Guid runId);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Information, Message = "{Table}: its last verdict was incomplete; planning it afresh in run {RunId}.")]
    public static partial void TableReplannedAfterIncomplete(ILogger logger, string table, Guid runId);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Information,
        Message = "{Table}: {Strategy} ({StrategyReason}); {Chunks} chunk(s), {ExpectedRows:N0} rows; {LoadMethod} ({LoadMethodReason}).")]
    public static partial void TablePlanned(ILogger logger, string table, string strategy, string strategyReason, int chunks, long expectedRows, string loadMethod, string loadMethodReason);

    [LoggerMessage(EventId = 4214, Level = LogLevel.Information,
        Message = "{Table}: {Strategy} ({StrategyReason}); {Chunks} chunk(s), {ExpectedRows:N0} rows; {LoadMethod} ({LoadMethodReason}); truncated with the plan (truncate_onstart).")]
    public static partial void TablePlannedAndTruncated(ILogger logger, string table, string strategy, string strategyReason, int chunks, long expectedRows, string loadMethod, string loadMethodReason);

    [LoggerMessage(EventId = 4215, Level = LogLevel.Warning,
        Message = "{Table} is INCOMPLETE: {Verification}. The next run of the same command plans this table afresh (or run it now with --table).")]
    public static partial void TableIncomplete(ILogger logger, string table, string verification);

    [LoggerMessage(EventId = 4216, Level = LogLevel.Warning,
        Message = "{Table} is INCOMPLETE: {Verification}. The next run of the same command plans this table afresh (or run it now with --table). sfpg repair (Repair-SfPgTable) re-loads exactly the ranges that differ.")]
    public static partial void TableIncompleteRepairable(ILogger logger, string table, string verification);

    [LoggerMessage(EventId = 4217, Level = LogLevel.Warning, Message = "{Table}: the failure could not be recorded: {Reason}")]
    public static partial void TableFailureNotRecorded(ILogger logger, string table, string reason);

    [LoggerMessage(EventId = 4218, Level = LogLevel.Debug, Message = "{Schema}.{Table}: statistics refreshed (ANALYZE).")]
    public static partial void StatisticsRefreshed(ILogger logger, string schema, string table);

    [LoggerMessage(EventId = 4219, Level = LogLevel.Warning,
        Message = "{Schema}.{Table}: loaded, but ANALYZE did not finish ({Reason}); autovacuum refreshes its statistics later, or run ANALYZE {QuotedTable} yourself before querying it heavily.")]
    public static partial void StatisticsNotRefreshed(ILogger logger, string schema, string table, string reason, string quotedTable);

    [LoggerMessage(EventId = 4220, Level = LogLevel.Warning,
        Message = "{Table}: the files run {RunId} unloaded are left in the stage under '{Folder}': {Reason} The next sfpg migrate that loads the table deletes them; or delete that folder yourself.")]
    public static partial void UnloadedFilesLeft(ILogger logger, string table, Guid runId, string folder, string reason);

    [LoggerMessage(EventId = 4221, Level = LogLevel.Information,
        Message = "{Table}: deleted the files run {RunId} left in the stage under '{Folder}' ({Reason}).")]
    public static partial void UnloadedFilesOfEarlierRunDeleted(ILogger logger, string table, Guid runId, string folder, string reason);
}
