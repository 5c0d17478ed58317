using Microsoft.Extensions.Logging;

namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// The one logger factory of the engine, its Snowflake client and Npgsql: every enabled log call becomes a
/// <see cref="LogEvent"/> handed to the host. Hosts render LogEvents rather than implement loggers, so the
/// PowerShell module never touches a logging type outside its private load context.
/// </summary>
internal sealed class LogEventLoggerFactory(Action<LogEvent> sink, EngineLogLevel minimum, TimeProvider clock) : ILoggerFactory
{
    private const string OriginalFormat = "{OriginalFormat}";

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("Log lines reach the host as LogEvents; give the reporter a sink instead of adding a provider.");

    public void Dispose()
    {
    }

    /// <summary>Trace and Npgsql's chatter are debugging detail; everything else maps one to one.</summary>
    internal static EngineLogLevel? LevelOf(LogLevel level) => level switch
    {
        LogLevel.Trace => EngineLogLevel.Debug,
        LogLevel.Debug => EngineLogLevel.Verbose,
        LogLevel.Information => EngineLogLevel.Information,
        LogLevel.Warning => EngineLogLevel.Warning,
        LogLevel.Error or LogLevel.Critical => EngineLogLevel.Error,
        _ => null,
    };

    private DateTimeOffset Now => clock.GetUtcNow();

    private void Publish(LogEvent log) => sink(log);

    private bool IsEnabled(string category, LogLevel level) =>
        LevelOf(level) is { } mapped && mapped >= minimum
        && (minimum == EngineLogLevel.Debug || level >= LogLevel.Warning || !category.StartsWith("Npgsql", StringComparison.Ordinal));

    private sealed class Logger(LogEventLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => factory.IsEnabled(category, logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var properties = state is IReadOnlyList<KeyValuePair<string, object?>> values
                ? values.Where(v => v.Key != OriginalFormat).ToList()
                : [];
            factory.Publish(new LogEvent(factory.Now, LevelOf(logLevel)!.Value, formatter(state, exception))
            {
                EventId = eventId.Id,
                EventName = eventId.Name,
                Category = category,
                Properties = properties,
            });
        }
    }

}
