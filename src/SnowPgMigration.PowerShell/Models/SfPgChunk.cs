using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>
/// One chunk of a table in a run. <see cref="RunId"/>, <see cref="Table"/> and <see cref="ChunkId"/>
/// bind by property name, so <c>Get-SfPgChunk -Status failed | Reset-SfPgChunk</c> works.
/// </summary>
public sealed class SfPgChunk
{
    private SfPgChunk()
    {
    }

    public Guid RunId { get; private init; }

    /// <summary>The target table.</summary>
    public string Table { get; private init; } = "";

    public int ChunkId { get; private init; }

    /// <summary>pending, in_progress, completed, failed or incomplete.</summary>
    public string Status { get; private init; } = "";

    public string Strategy { get; private init; } = "";

    public int Attempts { get; private init; }

    public long? ExpectedRows { get; private init; }

    public long RowsCopied { get; private init; }

    /// <summary>The Snowflake predicate that selects the chunk's rows.</summary>
    public string? Predicate { get; private init; }

    /// <summary>The chunk's bounds as the planner wrote them (JSON).</summary>
    public string? Bounds { get; private init; }

    public string? Checksum { get; private init; }

    public string? WorkerId { get; private init; }

    public DateTimeOffset? HeartbeatAt { get; private init; }

    /// <summary>How long ago the claim's heartbeat was; a long one on an in_progress chunk means its worker is gone.</summary>
    public TimeSpan? HeartbeatAge { get; private init; }

    public string? Error { get; private init; }

    /// <summary>Every earlier error, reset and take-over of the chunk (JSON array, oldest first).</summary>
    public string ErrorHistory { get; private init; } = "[]";

    public DateTimeOffset? StartedAt { get; private init; }

    public DateTimeOffset? CompletedAt { get; private init; }

    public SfPgConnection? Connection { get; private init; }

    internal static SfPgChunk From(ChunkRecord chunk, SfPgConnection? connection) => new()
    {
        RunId = chunk.RunId,
        Table = chunk.Table,
        ChunkId = chunk.ChunkId,
        Status = StatusText.ToText(chunk.Status),
        Strategy = chunk.Strategy,
        Attempts = chunk.Attempts,
        ExpectedRows = chunk.ExpectedRows,
        RowsCopied = chunk.RowsCopied,
        Predicate = chunk.Predicate,
        Bounds = chunk.BoundsJson,
        Checksum = chunk.Checksum,
        WorkerId = chunk.WorkerId,
        HeartbeatAt = chunk.HeartbeatAt,
        HeartbeatAge = chunk.HeartbeatAge,
        Error = chunk.Error,
        ErrorHistory = chunk.ErrorHistoryJson,
        StartedAt = chunk.StartedAt,
        CompletedAt = chunk.CompletedAt,
        Connection = connection,
    };
}
