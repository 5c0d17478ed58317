namespace SnowPgMigration.Engine.Reporting;

/// <summary>Conveniences over <see cref="IEngineReporter"/>, and a reporter that discards everything.</summary>
public static class EngineReporter
{
    /// <summary>A reporter that ignores every event.</summary>
    public static IEngineReporter None { get; } = new NullReporter();

    public static void Verbose(this IEngineReporter reporter, string message) =>
        reporter.Report(new LogEvent(DateTimeOffset.UtcNow, EngineLogLevel.Verbose, message));

    public static void Information(this IEngineReporter reporter, string message) =>
        reporter.Report(new LogEvent(DateTimeOffset.UtcNow, EngineLogLevel.Information, message));

    public static void Warning(this IEngineReporter reporter, string message) =>
        reporter.Report(new LogEvent(DateTimeOffset.UtcNow, EngineLogLevel.Warning, message));

    private sealed class NullReporter : IEngineReporter
    {
        public void Report(EngineEvent engineEvent)
        {
        }
    }
}
