using SnowPgMigration.Engine.Execution;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>How one table of a run ended in the process that ran it (the <c>Tables</c> of an <see cref="SfPgRun"/>).</summary>
public sealed class SfPgTableResult
{
    private SfPgTableResult()
    {
    }

    public Guid RunId { get; private init; }

    /// <summary>The target table (the config's <c>target</c>).</summary>
    public string Table { get; private init; } = "";

    public string SourceTable { get; private init; } = "";

    /// <summary>completed (loaded and verified), failed, incomplete, or in_progress when a deadline stopped it.</summary>
    public string Status { get; private init; } = "";

    public string? Strategy { get; private init; }

    public string? LoadMethod { get; private init; }

    public int Chunks { get; private init; }

    public long RowsExpected { get; private init; }

    public long RowsCopied { get; private init; }

    /// <summary>Rows this process copied (earlier runs' chunks of a resumed table not counted).</summary>
    public long RowsCopiedThisRun { get; private init; }

    public TimeSpan Elapsed { get; private init; }

    public double RowsPerSecond { get; private init; }

    public bool Verified { get; private init; }

    public string? Verification { get; private init; }

    public string? Error { get; private init; }

    /// <summary>The catalogue code of <see cref="Error"/>, e.g. <c>SFPG2102</c>, when there is one.</summary>
    public string? ErrorCode { get; private init; }

    internal static SfPgTableResult From(Guid runId, TableResult table) => new()
    {
        RunId = runId,
        Table = table.Table,
        SourceTable = table.SourceTable,
        Status = StatusText.ToText(table.Status),
        Strategy = table.Strategy,
        LoadMethod = table.LoadMethod,
        Chunks = table.Chunks,
        RowsExpected = table.RowsExpected,
        RowsCopied = table.RowsCopied,
        RowsCopiedThisRun = table.RowsCopiedThisRun,
        Elapsed = table.Elapsed,
        RowsPerSecond = Math.Round(table.RowsPerSecond, 1),
        Verified = table.Verified,
        Verification = table.Verification,
        Error = table.Error,
        ErrorCode = table.ErrorCode,
    };

    /// <summary>What a run's Tables list shows: the table, its status and rows, not the run id.</summary>
    public override string ToString() => $"{Table}: {Status}, {RowsCopied:N0} rows";
}
