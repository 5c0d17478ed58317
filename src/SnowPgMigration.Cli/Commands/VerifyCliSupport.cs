using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Cli.Commands;

/// <summary>What <c>sfpg verify</c> and <c>sfpg repair</c> share: config loading, errors and exit codes, and the JSON of a compared table.</summary>
internal static class VerifyCliSupport
{
    public const int ExitEqual = 0;
    public const int ExitDifferent = 1;
    public const int ExitBadInput = 2;

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static Option<FileInfo> ConfigOption() => new("--config", "-c") { Description = "The config.json file.", Required = true };

    public static Option<FileInfo?> EnvFileOption() => new("--env-file") { Description = "The .env file with the variables the config uses." };

    public static Option<string?> SourceOption() => new("--source", "-s") { Description = "Only this source (source_name)." };

    /// <summary>The config, or null after printing its problems.</summary>
    public static MigrationConfig? LoadConfig(ParseResult parse, Option<FileInfo> config, Option<FileInfo?> envFile, Option<string?> source)
    {
        var loaded = ConfigLoader.Load(parse.GetRequiredValue(config).FullName, new ConfigLoadOptions
        {
            SourceName = parse.GetValue(source),
            EnvFilePath = parse.GetValue(envFile)?.FullName,
        });
        if (loaded.IsValid)
        {
            return loaded.Config;
        }

        foreach (var line in ConfigReport.ToLines(loaded))
        {
            Console.Error.WriteLine(line);
        }

        return null;
    }

    /// <summary>Runs the engine call; an error is printed with its code and fix, and becomes exit code 2 (bad input, a refusal) or 1.</summary>
    public static async Task<int> RunAsync(MigrationConfig config, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (SfPgException ex)
        {
            Console.Error.WriteLine($"error {ex.Code}: {ex.Message}");
            Console.Error.WriteLine($"  fix: {ex.RecommendedAction}");
            return ex.Error.Kind is ErrorKind.InvalidArgument or ErrorKind.ObjectNotFound or ErrorKind.InvalidOperation ? ExitBadInput : ExitDifferent;
        }
        catch (DbException ex) when (TargetConnectionFailure.From(ex, config.Postgres) is { } failure)
        {
            Console.Error.WriteLine($"error {failure.Code}: {failure.Message}");
            Console.Error.WriteLine($"  fix: {failure.RecommendedAction}");
            return ExitDifferent;
        }
    }

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

    public static void PrintTables(IEnumerable<RangeComparison> tables)
    {
        var c = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Format(c, "{0,-36} {1,-10} {2,14} {3,14} {4,-10} {5,7} {6,9}", "table", "status", "source rows", "target rows", "method", "ranges", "differing"));
        foreach (var t in tables)
        {
            Console.Out.WriteLine(string.Format(c, "{0,-36} {1,-10} {2,14:N0} {3,14:N0} {4,-10} {5,7:N0} {6,9:N0}",
                t.Table, t.Equal ? "equal" : "different", t.SourceRows, t.TargetRows, t.Depth.ToName(), t.Ranges.Count, t.DifferingRanges.Count));
            if (t.Deep)
            {
                Console.Out.WriteLine(string.Format(c, "  missing {0:N0}, extra {1:N0}, changed {2:N0}", t.Missing, t.Extra, t.Changed));
            }

            foreach (var r in t.DifferingRanges)
            {
                PrintRange(r);
                if (r.Keys is { } keys)
                {
                    foreach (var key in KeyedComparisonResult.LabelledKeys(keys))
                    {
                        Console.Out.WriteLine("    " + key);
                    }
                }
            }
        }
    }

    public static void PrintRange(RangeCount r) =>
        Console.Out.WriteLine(string.Format(CultureInfo.InvariantCulture, "  range {0}: source {1:N0}, target {2:N0}{3}   {4}",
            r.RangeId, r.SourceRows, r.TargetRows, r.SourceRows == r.TargetRows ? " (checksums differ)" : "", r.TargetPredicate));
}
