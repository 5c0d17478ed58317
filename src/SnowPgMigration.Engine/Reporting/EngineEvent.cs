namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// Something the engine tells its host while it works: a <see cref="LogEvent"/> from the log channel or a
/// <see cref="ProgressEvent"/> from the progress channel. Hosts render these in their own way
/// (PowerShell: Write-Progress / Write-Verbose / Write-Warning; the CLI: a live display and log lines).
/// </summary>
public abstract record EngineEvent(DateTimeOffset At);

/// <summary>Progress of one activity (a run, a table), with rows and an optional completion ratio.</summary>
/// <param name="ActivityId">Stable per activity so hosts can update one progress bar.</param>
/// <param name="ParentActivityId">The enclosing activity (a table's run), or null.</param>
/// <param name="PercentComplete">0-100, or null when unknown.</param>
/// <param name="RowsPerSecond">Recent throughput, or null before it can be measured.</param>
public sealed record ProgressEvent(
    DateTimeOffset At,
    int ActivityId,
    int? ParentActivityId,
    string Activity,
    string Status,
    int? PercentComplete,
    long RowsDone,
    long? RowsExpected,
    double? RowsPerSecond,
    bool Completed) : EngineEvent(At);
