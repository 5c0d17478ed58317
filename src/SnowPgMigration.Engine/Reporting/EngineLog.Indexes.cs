using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>Indexes and constraints dropped for a load and restored after it (4400-4499).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "{Schema}.{Table}: {Count} index(es)/constraint(s) saved and dropped for the load.")]
    public static partial void IndexesDropped(ILogger logger, string schema, string table, int count);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "{Code}: {Reason}")]
    public static partial void IndexRestoreFailed(ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "{Schema}.{Table}: indexes of run {RunId} not restored yet: {Reason}")]
    public static partial void IndexesNotRestoredYet(ILogger logger, string schema, string table, Guid runId, string reason);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Warning, Message = "{Schema}.{Table}: restoring {Count} index(es)/constraint(s) an earlier run dropped and did not restore.")]
    public static partial void LeftoverIndexesRestoring(ILogger logger, string schema, string table, int count);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Information, Message = "{Schema}.{Table}: {Count} index(es)/constraint(s) restored.")]
    public static partial void IndexesRestored(ILogger logger, string schema, string table, int count);
}
