using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>One table of a run: its progress by chunks and its verification result. <see cref="RunId"/> and <see cref="Table"/> bind by property name.</summary>
public sealed class SfPgTableStatus
{
    private SfPgTableStatus()
    {
    }

    public Guid RunId { get; private init; }

    /// <summary>The target table (the config's <c>target</c>).</summary>
    public string Table { get; private init; } = "";

    public string SourceTable { get; private init; } = "";

    public string TargetSchema { get; private init; } = "";

    /// <summary>pending, in_progress, completed (loaded and verified), failed or incomplete.</summary>
    public string Status { get; private init; } = "";

    public string? LoadMethod { get; private init; }

    public string? Strategy { get; private init; }

    public int ChunksTotal { get; private init; }

    public int ChunksCompleted { get; private init; }

    public int ChunksFailed { get; private init; }

    public int ChunksPending { get; private init; }

    public int ChunksInProgress { get; private init; }

    public long RowsCopied { get; private init; }

    public long? RowsExpected { get; private init; }

    public long? SourceRowCount { get; private init; }

    public long? TargetRowCount { get; private init; }

    /// <summary>Share of chunks completed, 0 to 100; empty without chunks.</summary>
    public double? PercentComplete { get; private init; }

    public string? Verification { get; private init; }

    public DateTimeOffset? VerifiedAt { get; private init; }

    public DateTimeOffset? StartedAt { get; private init; }

    public DateTimeOffset? CompletedAt { get; private init; }

    public string? Error { get; private init; }

    public SfPgConnection? Connection { get; private init; }

    internal static SfPgTableStatus From(TableStatusRecord table, SfPgConnection? connection) => new()
    {
        RunId = table.RunId,
        Table = table.Table,
        SourceTable = table.SourceTable,
        TargetSchema = table.TargetSchema,
        Status = StatusText.ToText(table.Status),
        LoadMethod = table.LoadMethod,
        Strategy = table.Strategy,
        ChunksTotal = table.Chunks.Total,
        ChunksCompleted = table.Chunks.Completed,
        ChunksFailed = table.Chunks.Failed + table.Chunks.Incomplete,
        ChunksPending = table.Chunks.Pending,
        ChunksInProgress = table.Chunks.InProgress,
        RowsCopied = table.RowsCopied,
        RowsExpected = table.RowsExpected,
        SourceRowCount = table.SourceRowCount,
        TargetRowCount = table.TargetRowCount,
        PercentComplete = table.Chunks.Total == 0 ? null : Math.Round(100.0 * table.Chunks.Completed / table.Chunks.Total, 1),
        Verification = table.Verification,
        VerifiedAt = table.VerifiedAt,
        StartedAt = table.StartedAt,
        CompletedAt = table.CompletedAt,
        Error = table.Error,
        Connection = connection,
    };
}
