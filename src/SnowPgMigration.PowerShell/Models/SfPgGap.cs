using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.PowerShell.Models;

/// <summary>One range of a table that differs from its source (Find-SfPgGap); piped into Repair-SfPgTable it is re-loaded.</summary>
public sealed class SfPgGap
{
    private SfPgGap()
    {
    }

    public string Source { get; private init; } = "";

    /// <summary>The target table as the config names it; binds Repair-SfPgTable's -Table.</summary>
    public string Table { get; private init; } = "";

    public string TargetSchema { get; private init; } = "";

    public int RangeId { get; private init; }

    /// <summary>The range's lowest key, null when open below or not a value range.</summary>
    public string? Lower { get; private init; }

    /// <summary>The key the range stops before, null when open above or not a value range.</summary>
    public string? Upper { get; private init; }

    public long SourceRows { get; private init; }

    public long TargetRows { get; private init; }

    /// <summary>The Snowflake predicate of the range (source_filter included).</summary>
    public string Predicate { get; private init; } = "";

    /// <summary>The same range on the target's columns, with its values written in.</summary>
    public string TargetPredicate { get; private init; } = "";

    /// <summary>Rows of the range only the source has; null unless found with -Deep.</summary>
    public long? Missing { get; private init; }

    /// <summary>Rows of the range only the target has; null unless found with -Deep.</summary>
    public long? Extra { get; private init; }

    /// <summary>Rows of the range under one key with different values; null unless found with -Deep.</summary>
    public long? Changed { get; private init; }

    /// <summary>The first keys of the range's differences, labelled "missing", "extra" or "changed"; empty unless found with -Deep.</summary>
    public IReadOnlyList<string> SampleKeys { get; private init; } = [];

    /// <summary>How the range was found differing (<c>counts</c> or <c>checksums</c>); binds Repair-SfPgTable's -Method.</summary>
    public string Method { get; private init; } = "";

    public string? SourceChecksum { get; private init; }

    public string? TargetChecksum { get; private init; }

    /// <summary>The range's chunk strategy; with <see cref="Bounds"/> it names the range for Repair-SfPgTable.</summary>
    public string Strategy { get; private init; } = "";

    /// <summary>The range's bounds as a chunk stores them (JSON).</summary>
    public string? Bounds { get; private init; }

    /// <summary>The config the gap was found with; binds Repair-SfPgTable's -ConfigPath.</summary>
    public string ConfigPath { get; private init; } = "";

    internal static SfPgGap From(RangeComparison table, RangeCount range, string configPath) => new()
    {
        Source = table.SourceName,
        Table = table.TargetTable,
        TargetSchema = table.Table[..^(table.TargetTable.Length + 1)],
        RangeId = range.RangeId,
        Lower = range.Lower,
        Upper = range.Upper,
        SourceRows = range.SourceRows,
        TargetRows = range.TargetRows,
        Predicate = range.SourcePredicate,
        TargetPredicate = range.TargetPredicate,
        Missing = range.Keys?.Missing,
        Extra = range.Keys?.Extra,
        Changed = range.Keys?.Changed,
        SampleKeys = range.Keys is null ? [] : KeyedComparisonResult.LabelledKeys(range.Keys),
        Method = table.Depth.ToName(),
        SourceChecksum = range.SourceChecksum,
        TargetChecksum = range.TargetChecksum,
        Strategy = range.Bounds.Strategy,
        Bounds = range.Bounds.BoundsJson,
        ConfigPath = configPath,
    };
}
