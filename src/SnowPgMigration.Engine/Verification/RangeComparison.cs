using System.Globalization;
using System.Text.Json;

namespace SnowPgMigration.Engine.Verification;

/// <summary>A table compared with its source, range by range.</summary>
public sealed record RangeComparison
{
    public required string SourceName { get; init; }

    /// <summary>The target table, <c>schema.table</c>.</summary>
    public required string Table { get; init; }

    /// <summary>The table's <c>target</c> as the config names it.</summary>
    public required string TargetTable { get; init; }

    public required string SourceTable { get; init; }

    public required VerifyDepth Depth { get; init; }

    /// <summary>Where the ranges came from: a run's chunks (its id) or, when null, a fresh plan of the source.</summary>
    public Guid? RangesFromRun { get; init; }

    public required IReadOnlyList<RangeCount> Ranges { get; init; }

    public TimeSpan Elapsed { get; init; }

    public long SourceRows => Ranges.Sum(r => r.SourceRows);

    public long TargetRows => Ranges.Sum(r => r.TargetRows);

    public IReadOnlyList<RangeCount> DifferingRanges => Ranges.Where(r => r.Differs).ToList();

    public bool Equal => Ranges.All(r => !r.Differs);

    /// <summary>Whether the differing ranges were narrowed down to keys (verify --deep).</summary>
    public bool Deep { get; init; }

    /// <summary>Rows only the source has; null unless <see cref="Deep"/>.</summary>
    public long? Missing => Deep ? Ranges.Sum(r => r.Keys?.Missing ?? 0) : null;

    /// <summary>Rows only the target has; null unless <see cref="Deep"/>.</summary>
    public long? Extra => Deep ? Ranges.Sum(r => r.Keys?.Extra ?? 0) : null;

    /// <summary>Rows on both sides under one key with different values; null unless <see cref="Deep"/>.</summary>
    public long? Changed => Deep ? Ranges.Sum(r => r.Keys?.Changed ?? 0) : null;

    /// <summary>The first keys of missing rows, over all ranges.</summary>
    public IReadOnlyList<string> MissingKeys => FirstKeys(d => d.MissingKeys);

    public IReadOnlyList<string> ExtraKeys => FirstKeys(d => d.ExtraKeys);

    public IReadOnlyList<string> ChangedKeys => FirstKeys(d => d.ChangedKeys);

    private IReadOnlyList<string> FirstKeys(Func<KeyedRangeDifference, IReadOnlyList<string>> keys) =>
        Ranges.Where(r => r.Keys is not null).SelectMany(r => r.Keys!.Ranges).SelectMany(keys).Take(KeyedComparisonOptions.DefaultSampleKeys).ToList();

    /// <summary>The differing ranges as the status schema stores them (<c>differing_ranges</c>).</summary>
    public string DifferingRangesJson() => JsonSerializer.Serialize(DifferingRanges.Select(r => new Dictionary<string, object?>
    {
        ["range_id"] = r.RangeId,
        ["source_rows"] = r.SourceRows,
        ["target_rows"] = r.TargetRows,
        ["source_checksum"] = r.SourceChecksum,
        ["target_checksum"] = r.TargetChecksum,
        ["lower"] = r.Lower,
        ["upper"] = r.Upper,
        ["source_predicate"] = r.SourcePredicate,
    }));

    /// <summary>One line for a verdict: what was compared and, when they differ, which ranges.</summary>
    public string Describe()
    {
        var what = Depth == VerifyDepth.Checksums ? "counts and checksums" : "counts";
        if (Equal)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"target equals source by {what} over {Ranges.Count} range(s): {SourceRows:N0} rows");
        }

        var differing = DifferingRanges;
        var named = string.Join(", ", differing.Take(10).Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.RangeId} (source {r.SourceRows:N0}, target {r.TargetRows:N0}{(r.SourceRows == r.TargetRows ? ", checksums differ" : "")})")));
        return string.Create(CultureInfo.InvariantCulture,
            $"target differs from source by {what}: source {SourceRows:N0} rows, target {TargetRows:N0} rows; {differing.Count} of {Ranges.Count} range(s) differ: {named}{(differing.Count > 10 ? ", ..." : "")}");
    }
}
