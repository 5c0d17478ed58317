using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>What Repair-SfPgTable did to one table.</summary>
public sealed class SfPgRepair
{
    private SfPgRepair()
    {
    }

    public string Source { get; private init; } = "";

    public string Table { get; private init; } = "";

    /// <summary>The repair's own run (run_kind 'repair'); null when nothing was re-loaded.</summary>
    public Guid? RunId { get; private init; }

    /// <summary><c>equal</c> when the target equals the source afterwards, else <c>different</c>.</summary>
    public string Status { get; private init; } = "";

    public int RangesReloaded { get; private init; }

    /// <summary>Ranges left alone: the target holds extra rows there and -DeleteExtra was not given.</summary>
    public int RangesSkipped { get; private init; }

    public long RowsCopied { get; private init; }

    public long SourceRows { get; private init; }

    public long TargetRows { get; private init; }

    public string ConfigPath { get; private init; } = "";

    internal static SfPgRepair From(RepairResult result, string configPath)
    {
        var now = result.After ?? result.Before;
        return new SfPgRepair
        {
            Source = result.SourceName,
            Table = now.TargetTable,
            RunId = result.RunId,
            Status = result.Equal ? "equal" : "different",
            RangesReloaded = result.DryRun ? 0 : result.Reloaded.Count,
            RangesSkipped = result.SkippedExtra.Count,
            RowsCopied = result.RowsCopied,
            SourceRows = now.SourceRows,
            TargetRows = now.TargetRows,
            ConfigPath = configPath,
        };
    }
}
