using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// The Snowflake client's logger from a reporter's factory, kept by this name until MigrationRunner asks
/// <see cref="EngineReporter.SnowflakeLogger"/> directly.
/// </summary>
internal sealed class ReporterLogger(IEngineReporter reporter) : ILogger
{
    private readonly ILogger _inner = reporter.SnowflakeLogger();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _inner.Log(logLevel, eventId, state, exception, formatter);
}
