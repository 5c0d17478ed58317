using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>The reporters hosts hand to the engine, and a reporter that discards everything.</summary>
public static class EngineReporter
{
    /// <summary>The category of the Snowflake client's log lines (retries, back-off waits, statement handles).</summary>
    internal const string SnowflakeCategory = "SnowPgMigration.Engine.Snowflake";

    /// <summary>A reporter that ignores every event.</summary>
    public static IEngineReporter None { get; } = new Reporter(NullLoggerFactory.Instance, _ => { });

    /// <summary>
    /// A reporter whose log lines arrive at <paramref name="log"/> as <see cref="LogEvent"/>s from <paramref name="minimum"/> up,
    /// and whose progress arrives at <paramref name="progress"/>. Npgsql's own log lines arrive only from warnings up,
    /// unless <paramref name="minimum"/> is <see cref="EngineLogLevel.Debug"/>: it logs every command at information level.
    /// </summary>
    public static IEngineReporter Create(Action<LogEvent> log, Action<ProgressEvent> progress, EngineLogLevel minimum, TimeProvider? clock = null) =>
        new Reporter(new LogEventLoggerFactory(log, minimum, clock ?? TimeProvider.System), progress);

    /// <summary>The logger the Snowflake client writes to, from the reporter's factory.</summary>
    internal static ILogger SnowflakeLogger(this IEngineReporter reporter) => reporter.LoggerFactory.CreateLogger(SnowflakeCategory);

    private sealed class Reporter(ILoggerFactory loggerFactory, Action<ProgressEvent> progress) : IEngineReporter
    {
        public ILoggerFactory LoggerFactory => loggerFactory;

        public void Report(ProgressEvent progressEvent) => progress(progressEvent);
    }
}
