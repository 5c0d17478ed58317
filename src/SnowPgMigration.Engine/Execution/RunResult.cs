using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>How one source's run ended.</summary>
public sealed record RunResult
{
    public required Guid RunId { get; init; }

    public required string SourceName { get; init; }

    public required RunStatus Status { get; init; }

    /// <summary>Resumed an unfinished run rather than starting one.</summary>
    public bool Resumed { get; init; }

    /// <summary>Joined a run another process owns.</summary>
    public bool Joined { get; init; }

    public required string TargetDatabase { get; init; }

    /// <summary>When the run first started (a resumed run keeps its original start).</summary>
    public DateTimeOffset StartedAt { get; init; }

    public IReadOnlyList<TableResult> Tables { get; init; } = [];

    public TimeSpan Elapsed { get; init; }

    public long RowsCopied => Tables.Sum(t => t.RowsCopiedThisRun);

    public string? Error { get; init; }
}
