using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>A table compared with its source (Test-SfPgTable).</summary>
public sealed class SfPgTableVerification
{
    private SfPgTableVerification()
    {
    }

    public string Source { get; private init; } = "";

    /// <summary>The target table as the config names it.</summary>
    public string Table { get; private init; } = "";

    public string TargetSchema { get; private init; } = "";

    /// <summary><c>equal</c> or <c>different</c>.</summary>
    public string Status { get; private init; } = "";

    public long SourceRows { get; private init; }

    public long TargetRows { get; private init; }

    /// <summary>The ranges that differ, as Find-SfPgGap writes them.</summary>
    public IReadOnlyList<SfPgGap> DifferingRanges { get; private init; } = [];

    /// <summary>Rows only in the source; null until a keyed (deep) comparison counts them.</summary>
    public long? Missing { get; private init; }

    /// <summary>Rows only in the target; null until a keyed (deep) comparison counts them.</summary>
    public long? Extra { get; private init; }

    /// <summary>Rows on both sides with different values; null until a keyed (deep) comparison counts them.</summary>
    public long? Changed { get; private init; }

    /// <summary>The first keys (as text) of missing, extra and changed rows; empty until a deep comparison.</summary>
    public IReadOnlyList<string> MissingKeys { get; private init; } = [];

    public IReadOnlyList<string> ExtraKeys { get; private init; } = [];

    public IReadOnlyList<string> ChangedKeys { get; private init; } = [];

    /// <summary><c>counts</c> or <c>checksums</c>.</summary>
    public string Method { get; private init; } = "";

    public TimeSpan Elapsed { get; private init; }

    /// <summary>The run whose chunks gave the ranges; null when a fresh plan of the source did.</summary>
    public Guid? RangesFromRun { get; private init; }

    public string ConfigPath { get; private init; } = "";

    internal static SfPgTableVerification From(RangeComparison table, string configPath) => new()
    {
        Source = table.SourceName,
        Table = table.TargetTable,
        TargetSchema = table.Table[..^(table.TargetTable.Length + 1)],
        Status = table.Equal ? "equal" : "different",
        SourceRows = table.SourceRows,
        TargetRows = table.TargetRows,
        DifferingRanges = table.DifferingRanges.Select(r => SfPgGap.From(table, r, configPath)).ToArray(),
        Missing = table.Missing,
        Extra = table.Extra,
        Changed = table.Changed,
        MissingKeys = table.MissingKeys,
        ExtraKeys = table.ExtraKeys,
        ChangedKeys = table.ChangedKeys,
        Method = table.Depth.ToName(),
        Elapsed = table.Elapsed,
        RangesFromRun = table.RangesFromRun,
        ConfigPath = configPath,
    };
}
