using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Snowflake;

/// <summary>
/// Log messages of the Snowflake client; event ids 3100-3199. No token or key is ever logged. A retry is information,
/// not a warning: the client rides it out, and the CLI shows it by default (PowerShell with -Verbose).
/// </summary>
internal static partial class SnowflakeLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Snowflake statement {StatementHandle} submitted (request {RequestId}).")]
    public static partial void StatementSubmitted(ILogger logger, string? statementHandle, Guid requestId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Snowflake request attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms.")]
    public static partial void RetryingRequest(ILogger logger, int attempt, string reason, long delayMs);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Snowflake statement {StatementHandle} canceled on the server because the caller stopped waiting.")]
    public static partial void StatementCanceled(ILogger logger, string statementHandle);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Snowflake statement {StatementHandle} could not be canceled on the server.")]
    public static partial void StatementCancelFailed(ILogger logger, string statementHandle, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "Snowflake rejected the token (HTTP 401); signing a new one and resending.")]
    public static partial void RenewingRejectedToken(ILogger logger);
}
