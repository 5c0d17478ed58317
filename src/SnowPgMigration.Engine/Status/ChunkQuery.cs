namespace SnowPgMigration.Engine.Status;

/// <summary>Which chunks to list. <see cref="Table"/> matches the target or the source table name.</summary>
public sealed record ChunkQuery
{
    public Guid? RunId { get; init; }

    public string? Table { get; init; }

    public ProgressStatus? Status { get; init; }

    /// <summary>Only in-progress chunks whose claim heartbeat is older than this.</summary>
    public TimeSpan? StaleAfter { get; init; }

    /// <summary>At most this many chunks.</summary>
    public int? Limit { get; init; }
}
