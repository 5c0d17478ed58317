namespace SnowPgMigration.Engine.Status;

/// <summary>Which runs to list. Every filter left null matches all; runs come newest first.</summary>
public sealed record RunQuery
{
    public Guid? RunId { get; init; }

    public string? Source { get; init; }

    public RunStatus? Status { get; init; }

    /// <summary>At most this many runs (the newest).</summary>
    public int? Last { get; init; }

    /// <summary>Only runs marked running whose owner is gone: its process ended on this host, or no heartbeat for this long.</summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary>How long without a heartbeat marks a running run's owner gone in the listing (<see cref="RunRecord.OwnerGone"/>).</summary>
    public TimeSpan OwnerGoneAfter { get; init; } = RunLiveness.DefaultStaleAfter;
}
