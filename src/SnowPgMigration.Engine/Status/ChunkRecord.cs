namespace SnowPgMigration.Engine.Status;

/// <summary>One row of <c>migration_chunk_status</c>.</summary>
public sealed record ChunkRecord
{
    public required Guid RunId { get; init; }

    /// <summary>The target table's name, as in <see cref="TableStatusRecord.Table"/>.</summary>
    public required string Table { get; init; }

    public required int ChunkId { get; init; }

    public required string Strategy { get; init; }

    /// <summary>The source-side SQL predicate that selects the chunk's rows.</summary>
    public string? Predicate { get; init; }

    /// <summary>The chunk's bounds as JSON, as the planner wrote them.</summary>
    public string? BoundsJson { get; init; }

    public long? ExpectedRows { get; init; }

    public long RowsCopied { get; init; }

    public string? Checksum { get; init; }

    public required ProgressStatus Status { get; init; }

    public int Attempts { get; init; }

    public string? WorkerId { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>How long ago the claim's heartbeat was, by the database's clock; null when never claimed.</summary>
    public TimeSpan? HeartbeatAge { get; init; }

    /// <summary>The latest error; earlier ones (and resets, take-overs) are in <see cref="ErrorHistoryJson"/>.</summary>
    public string? Error { get; init; }

    /// <summary>A JSON array of <c>{at, event, attempt, worker_id, error, ...}</c> entries, oldest first.</summary>
    public string ErrorHistoryJson { get; init; } = "[]";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>A completed chunk was reset: its next load first deletes the rows of its range, in the same transaction.</summary>
    public bool ReplaceRows { get; init; }

    /// <summary>After a failed attempt: the earliest time the chunk may be claimed again.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
