using System.Globalization;
using System.Text.Json;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Cli.Commands;

/// <summary>What <c>sfpg verify</c> and <c>sfpg repair</c> share: the JSON and the text of a compared table.</summary>
internal static class VerifyCliSupport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>A compared table with the names of Test-SfPgTable's object, camelCased by the serializer.</summary>
    public static object ToJson(RangeComparison table) => new
    {
        Source = table.SourceName,
        table.Table,
        Status = table.Equal ? "equal" : "different",
        SourceRows = table.SourceRows,
        TargetRows = table.TargetRows,
        DifferingRanges = table.DifferingRanges.Select(RangeJson).ToList(),
        table.Missing,
        table.Extra,
        table.Changed,
        table.MissingKeys,
        table.ExtraKeys,
        table.ChangedKeys,
        Method = table.Depth.ToName(),
        Elapsed = table.Elapsed.TotalSeconds,
        RangesFromRun = table.RangesFromRun,
    };

    public static object RangeJson(RangeCount range) => new
    {
        range.RangeId,
        range.Lower,
        range.Upper,
        range.SourceRows,
        range.TargetRows,
        range.SourceChecksum,
        range.TargetChecksum,
        range.SourcePredicate,
        Missing = range.Keys?.Missing,
        Extra = range.Keys?.Extra,
        Changed = range.Keys?.Changed,
        SampleKeys = range.Keys is null ? null : KeyedComparisonResult.LabelledKeys(range.Keys),
        range.TargetPredicate,
    };

    public static void PrintTables(IEnumerable<RangeComparison> tables, CliOutput output)
    {
        var c = CultureInfo.InvariantCulture;
        output.Line(string.Format(c, "{0,-36} {1,-10} {2,14} {3,14} {4,-10} {5,7} {6,9}", "table", "status", "source rows", "target rows", "method", "ranges", "differing"));
        foreach (var t in tables)
        {
            output.Line(string.Format(c, "{0,-36} {1,-10} {2,14:N0} {3,14:N0} {4,-10} {5,7:N0} {6,9:N0}",
                t.Table, t.Equal ? "equal" : "different", t.SourceRows, t.TargetRows, t.Depth.ToName(), t.Ranges.Count, t.DifferingRanges.Count));
            if (t.Deep)
            {
                output.Line(string.Format(c, "  missing {0:N0}, extra {1:N0}, changed {2:N0}", t.Missing, t.Extra, t.Changed));
            }

            foreach (var r in t.DifferingRanges)
            {
                PrintRange(r, output);
                if (r.Keys is { } keys)
                {
                    foreach (var key in KeyedComparisonResult.LabelledKeys(keys))
                    {
                        output.Line("    " + key);
                    }
                }
            }
        }
    }

    public static void PrintRange(RangeCount r, CliOutput output) =>
        output.Line(string.Format(CultureInfo.InvariantCulture, "  range {0}: source {1:N0}, target {2:N0}{3}   {4}",
            r.RangeId, r.SourceRows, r.TargetRows, r.SourceRows == r.TargetRows ? " (checksums differ)" : "", r.TargetPredicate));
}
