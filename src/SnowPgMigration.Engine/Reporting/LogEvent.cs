namespace SnowPgMigration.Engine.Reporting;

/// <summary>
/// One log line as a host receives it: the level decides the stream (verbose, information, warning), the event id
/// and name say which declared message it is (see <see cref="EngineLog"/>), and the properties carry its values.
/// Plain types only, so a host in another load context (the PowerShell module) can read it.
/// </summary>
public sealed record LogEvent(DateTimeOffset At, EngineLogLevel Level, string Message) : EngineEvent(At)
{
    public int EventId { get; init; }

    public string? EventName { get; init; }

    /// <summary>Who logged it: the engine class, <c>SnowPgMigration.Engine.Snowflake</c>, or an Npgsql logger.</summary>
    public string Category { get; init; } = "";

    /// <summary>The message's named values (RunId, Table, ChunkId, ...), in template order.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Properties { get; init; } = [];
}
