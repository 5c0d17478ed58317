namespace SnowPgMigration.Engine.Status;

/// <summary>One row of <c>migration_runs</c>, read with the database's own clock for <see cref="HeartbeatAge"/>.</summary>
public sealed record RunRecord
{
    public required Guid RunId { get; init; }

    public required string SourceName { get; init; }

    /// <summary>Hash of the effective config; a run resumes only under the same hash.</summary>
    public required string ConfigHash { get; init; }

    public required RunStatus Status { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Last sign of life of a process working on the run (also set when it finished).</summary>
    public required DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>How long ago <see cref="HeartbeatAt"/> was, by the database server's clock when read.</summary>
    public required TimeSpan HeartbeatAge { get; init; }

    public string? HostName { get; init; }

    public int? ProcessId { get; init; }

    public string? WorkerInfo { get; init; }

    public string? ToolVersion { get; init; }

    public int TablesTotal { get; init; }

    public int TablesCompleted { get; init; }

    public int TablesFailed { get; init; }

    public long? RowsExpected { get; init; }

    public long RowsCopied { get; init; }

    public string? Error { get; init; }

    /// <summary>The token of the process that owns the run (created it or took it over).</summary>
    public Guid? OwnerToken { get; init; }

    /// <summary>The canonical, secret-free config (JSON) the run was started with; null for runs older than this column.</summary>
    public string? ConfigCanonical { get; init; }

    /// <summary>Why an administrator stopped or force-completed the run.</summary>
    public string? StopReason { get; init; }

    /// <summary>True when the run says it is running but nothing has touched it for longer than <paramref name="threshold"/>.</summary>
    public bool IsStale(TimeSpan threshold) => Status == RunStatus.Running && HeartbeatAge > threshold;

    /// <summary>
    /// Set by listings: the run says running, but its process ended on this host or its heartbeat went stale,
    /// so nobody is working on it (resume it, or stop it).
    /// </summary>
    public bool OwnerGone { get; init; }
}
