namespace SnowPgMigration.Engine.Status;

/// <summary>
/// Which run history to delete: runs whose last activity (heartbeat) is older than
/// <see cref="OlderThan"/>, optionally of one run or source. Runs still marked <c>running</c> are
/// kept unless <see cref="IncludeRunning"/>; runs holding index definitions that were dropped and
/// not yet restored are always kept, so nothing is lost around indexes.
/// </summary>
public sealed record RunRemovalRequest
{
    public required TimeSpan OlderThan { get; init; }

    public Guid? RunId { get; init; }

    public string? Source { get; init; }

    public bool IncludeRunning { get; init; }

    /// <summary>Count what would go, delete nothing.</summary>
    public bool DryRun { get; init; }
}
