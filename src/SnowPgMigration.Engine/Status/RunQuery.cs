namespace SnowPgMigration.Engine.Status;

/// <summary>Which runs to list. Every filter left null matches all; runs come newest first.</summary>
public sealed record RunQuery
{
    public Guid? RunId { get; init; }

    public string? Source { get; init; }

    public RunStatus? Status { get; init; }

    /// <summary>At most this many runs (the newest).</summary>
    public int? Last { get; init; }

    /// <summary>Only runs marked running whose heartbeat is older than this.</summary>
    public TimeSpan? StaleAfter { get; init; }
}
