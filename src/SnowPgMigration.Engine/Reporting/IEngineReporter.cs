using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// The engine's two channels to its host. Log lines go through <see cref="LoggerFactory"/>, declared once in
/// <see cref="EngineLog"/>; the Snowflake client and Npgsql log through the same factory. Progress is a channel
/// of its own, since a host keeps only the latest progress per activity but every log line.
/// Implementations must be safe to call from any thread and must not block for long: workers call them while they copy.
/// </summary>
public interface IEngineReporter
{
    ILoggerFactory LoggerFactory { get; }

    void Report(ProgressEvent progress);
}
