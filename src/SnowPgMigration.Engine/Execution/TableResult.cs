using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Engine.Execution;

/// <summary>How one table of a run ended in this process.</summary>
public sealed record TableResult
{
    public required string Table { get; init; }

    public required string SourceTable { get; init; }

    public required ProgressStatus Status { get; init; }

    public string? Strategy { get; init; }

    public string? LoadMethod { get; init; }

    public int Chunks { get; init; }

    public long RowsExpected { get; init; }

    public long RowsCopied { get; init; }

    public TimeSpan Elapsed { get; init; }

    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsCopiedThisRun / Elapsed.TotalSeconds : 0;

    /// <summary>Rows this process copied (a resumed table's earlier chunks are not counted).</summary>
    public long RowsCopiedThisRun { get; init; }

    public bool Verified => Status == ProgressStatus.Completed;

    public string? Verification { get; init; }

    public string? Error { get; init; }

    /// <summary>The catalogue code of <see cref="Error"/> when the engine raised one (e.g. <c>SFPG2102</c>).</summary>
    public string? ErrorCode { get; init; }
}
