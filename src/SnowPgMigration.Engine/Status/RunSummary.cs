namespace SnowPgMigration.Engine.Status;

/// <summary>One run at a glance: tables and chunks by status, rows, speed and time left.</summary>
public sealed record RunSummary
{
    public required RunRecord Run { get; init; }

    public required StatusCounts Tables { get; init; }

    public required StatusCounts Chunks { get; init; }

    /// <summary>Rows of completed chunks.</summary>
    public long RowsCopied { get; init; }

    /// <summary>Rows the tables' sources hold (or the chunks' planned rows), when known.</summary>
    public long? RowsExpected { get; init; }

    /// <summary>From start to completion, or to now while the run is unfinished.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Rows copied per second of <see cref="Elapsed"/>; null before a whole second or a row.</summary>
    public double? RowsPerSecond { get; init; }

    /// <summary>Rows still to copy at the current speed, for a running run with known expected rows.</summary>
    public TimeSpan? EstimatedTimeLeft { get; init; }

    /// <summary>Share of chunks completed, 0 to 100; null without chunks.</summary>
    public double? PercentComplete => Chunks.Total == 0 ? null : Math.Round(100.0 * Chunks.Completed / Chunks.Total, 1);
}
