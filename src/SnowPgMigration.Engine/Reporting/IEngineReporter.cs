namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// Where the engine reports progress and log lines. Implementations must be safe to call from
/// any thread and must not block for long: workers call it while they copy.
/// </summary>
public interface IEngineReporter
{
    void Report(EngineEvent engineEvent);
}
