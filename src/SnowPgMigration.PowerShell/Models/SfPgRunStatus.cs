using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>One run at a glance: tables and chunks by status, rows, speed, elapsed and estimated time left.</summary>
public sealed class SfPgRunStatus
{
    private SfPgRunStatus()
    {
    }

    public Guid RunId { get; private init; }

    public string Source { get; private init; } = "";

    public string Status { get; private init; } = "";

    public int TablesTotal { get; private init; }

    public int TablesCompleted { get; private init; }

    public int TablesFailed { get; private init; }

    public int TablesPending { get; private init; }

    public int ChunksTotal { get; private init; }

    public int ChunksPending { get; private init; }

    public int ChunksInProgress { get; private init; }

    public int ChunksCompleted { get; private init; }

    public int ChunksFailed { get; private init; }

    public int ChunksIncomplete { get; private init; }

    /// <summary>Share of chunks completed, 0 to 100; empty without chunks.</summary>
    public double? PercentComplete { get; private init; }

    public long RowsCopied { get; private init; }

    public long? RowsExpected { get; private init; }

    public double? RowsPerSecond { get; private init; }

    public TimeSpan Elapsed { get; private init; }

    /// <summary>For a running run with known expected rows: time left at the current speed.</summary>
    public TimeSpan? EstimatedTimeLeft { get; private init; }

    public TimeSpan HeartbeatAge { get; private init; }

    public DateTimeOffset StartedAt { get; private init; }

    public string? Error { get; private init; }

    public string? StopReason { get; private init; }

    public SfPgConnection? Connection { get; private init; }

    internal static SfPgRunStatus From(RunSummary summary, SfPgConnection? connection) => new()
    {
        RunId = summary.Run.RunId,
        Source = summary.Run.SourceName,
        Status = StatusText.ToText(summary.Run.Status),
        TablesTotal = summary.Tables.Total,
        TablesCompleted = summary.Tables.Completed,
        TablesFailed = summary.Tables.Failed + summary.Tables.Incomplete,
        TablesPending = summary.Tables.Pending + summary.Tables.InProgress,
        ChunksTotal = summary.Chunks.Total,
        ChunksPending = summary.Chunks.Pending,
        ChunksInProgress = summary.Chunks.InProgress,
        ChunksCompleted = summary.Chunks.Completed,
        ChunksFailed = summary.Chunks.Failed,
        ChunksIncomplete = summary.Chunks.Incomplete,
        PercentComplete = summary.PercentComplete,
        RowsCopied = summary.RowsCopied,
        RowsExpected = summary.RowsExpected,
        RowsPerSecond = summary.RowsPerSecond is { } rate ? Math.Round(rate, 1) : null,
        Elapsed = summary.Elapsed,
        EstimatedTimeLeft = summary.EstimatedTimeLeft,
        HeartbeatAge = summary.Run.HeartbeatAge,
        StartedAt = summary.Run.StartedAt,
        Error = summary.Run.Error,
        StopReason = summary.Run.StopReason,
        Connection = connection,
    };
}
