namespace SnowPgMigration.Engine.Status;

/// <summary>Which table statuses to list. <see cref="Table"/> matches the target or the source table name.</summary>
public sealed record TableQuery
{
    public Guid? RunId { get; init; }

    public string? Table { get; init; }

    public ProgressStatus? Status { get; init; }

    /// <summary>At most this many rows (newest runs first).</summary>
    public int? Limit { get; init; }
}
