using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// The Snowflake client's log (retries, back-off waits, statement handles) sent down the engine's one
/// reporting path, so hosts show it with everything else: errors as warnings, the rest (retries and
/// back-off waits included) as verbose, since the client rides them out itself.
/// </summary>
internal sealed class ReporterLogger(IEngineReporter reporter) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var message = "Snowflake: " + formatter(state, exception);
        if (logLevel >= LogLevel.Error)
        {
            reporter.Warning(message);
        }
        else
        {
            reporter.Verbose(message);
        }
    }
}
