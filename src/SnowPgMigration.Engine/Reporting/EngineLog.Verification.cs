using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>Verification, repair and integrity checks (4500-4599).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 4501, Level = LogLevel.Debug, Message = "{Table}: {Comparison} (ranges of run {RunId}).")]
    public static partial void TableComparedOnRunRanges(ILogger logger, string table, string comparison, Guid runId);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Debug, Message = "{Table}: {Comparison} (ranges of a fresh plan).")]
    public static partial void TableComparedOnFreshPlan(ILogger logger, string table, string comparison);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning,
        Message = "{Table} range {RangeId}: the target holds {TargetRows:N0} rows, the source {SourceRows:N0}; left as it is (repair with --delete-extra / -DeleteExtra to remove the extra rows).")]
    public static partial void ExtraRowsLeft(ILogger logger, string table, int rangeId, long targetRows, long sourceRows);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Debug, Message = "Checking the integrity of {Schema}.{Table} (source {SourceName}).")]
    public static partial void CheckingIntegrity(ILogger logger, string schema, string table, string sourceName);
}
