namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// How important a log line is to the person running the tool. Hosts show <see cref="Information"/> and above by
/// default, <see cref="Verbose"/> when asked (--verbose, -Verbose), <see cref="Debug"/> only when debugging.
/// </summary>
public enum EngineLogLevel
{
    Debug,
    Verbose,
    Information,
    Warning,
    Error,
}
