namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Which run history to delete: runs whose last activity (heartbeat) is older than
/// <see cref="OlderThan"/>, optionally of one run or source. Runs still marked <c>running</c> are
/// kept unless <see cref="IncludeRunning"/>, and live ones always; runs holding index definitions that were dropped and
/// not yet restored are always kept, so nothing is lost around indexes.
/// </summary>
public sealed record RunRemovalRequest
{
    public required TimeSpan OlderThan { get; init; }

    public Guid? RunId { get; init; }

    public string? Source { get; init; }

    public bool IncludeRunning { get; init; }

    /// <summary>
    /// A running run whose heartbeat is younger than this is live and never removed, even with
    /// <see cref="IncludeRunning"/> (the default matches the stale-claim threshold of a migration).
    /// </summary>
    public TimeSpan LiveWithin { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Count what would go, delete nothing.</summary>
    public bool DryRun { get; init; }
}
