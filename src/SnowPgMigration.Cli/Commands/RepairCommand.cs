using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg repair --config C --table T [--dry-run] [--delete-extra] [--max-delete-ratio R] [--json]</c>: re-loads exactly
/// the ranges of a table that differ from its source, each in one transaction, as a run of kind 'repair'. Exit code 0
/// when the table equals its source afterwards (a dry run: when it could be planned), 1 when it still differs, 2 on bad
/// input or a refusal (the delete ratio).
/// </summary>
internal static class RepairCommand
{
    public static Command Create()
    {
        var config = VerifyCliSupport.ConfigOption();
        var envFile = VerifyCliSupport.EnvFileOption();
        var source = VerifyCliSupport.SourceOption();
        var table = new Option<string>("--table", "-t") { Description = "The table to repair (target or source name).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the ranges and row counts the repair would touch; change nothing." };
        var deleteExtra = new Option<bool>("--delete-extra")
        {
            Description = "Also repair ranges where the target holds more rows than the source, deleting the extra rows (at most --max-delete-ratio of the table).",
        };
        var maxDeleteRatio = new Option<double>("--max-delete-ratio")
        {
            Description = "With --delete-extra: the largest fraction of the table's target rows the repair may delete; above it, it refuses.",
            DefaultValueFactory = _ => RepairRequest.DefaultMaxDeleteRatio,
        };
        var json = new Option<bool>("--json") { Description = "Print the repair of each table as JSON." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every range as it commits." };
        var command = new Command(
            "repair",
            "Re-load exactly the ranges of a table that differ from its source: each range's target rows are deleted and the source's copied in one transaction, " +
            "recorded as a run of kind 'repair'. Ranges where the target holds extra rows need --delete-extra. " +
            "Exit code 0 when the table equals its source afterwards, 1 when it still differs, 2 on bad input or a refusal.")
        {
            config, envFile, source, table, dryRun, deleteExtra, maxDeleteRatio, json, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = VerifyCliSupport.LoadConfig(parse, config, envFile, source);
            if (loaded is null)
            {
                return VerifyCliSupport.ExitBadInput;
            }

            return await VerifyCliSupport.RunAsync(loaded, async () =>
            {
                var results = await new TableRepairer(loaded, new ConsoleReporter(parse.GetValue(verbose))).RepairAsync(new RepairRequest
                {
                    Source = parse.GetValue(source),
                    Table = parse.GetRequiredValue(table),
                    DryRun = parse.GetValue(dryRun),
                    DeleteExtra = parse.GetValue(deleteExtra),
                    MaxDeleteRatio = parse.GetValue(maxDeleteRatio),
                }, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(results.Select(ToJson), VerifyCliSupport.Json));
                }
                else
                {
                    Print(results);
                }

                return results.All(r => r.DryRun || r.Equal) ? VerifyCliSupport.ExitEqual : VerifyCliSupport.ExitDifferent;
            });
        });
        return command;
    }

    private static object ToJson(RepairResult result) => new
    {
        Source = result.SourceName,
        result.Table,
        result.RunId,
        result.DryRun,
        Status = result.DryRun ? "planned" : result.Equal ? "equal" : "different",
        RangesReloaded = result.Reloaded.Select(VerifyCliSupport.RangeJson).ToList(),
        RangesSkipped = result.SkippedExtra.Select(VerifyCliSupport.RangeJson).ToList(),
        RowsToDelete = result.Reloaded.Sum(r => r.TargetRows),
        RowsToCopy = result.Reloaded.Sum(r => r.SourceRows),
        result.RowsCopied,
        Before = VerifyCliSupport.ToJson(result.Before),
        After = result.After is null ? null : VerifyCliSupport.ToJson(result.After),
    };

    private static void Print(IReadOnlyList<RepairResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var result in results)
        {
            var verb = result.DryRun ? "would re-load" : "re-loaded";
            Console.Out.WriteLine(string.Format(c, "{0} ({1}): {2} {3} range(s): {4:N0} target row(s) deleted, {5:N0} source row(s) copied{6}",
                result.Table, result.SourceName, verb, result.Reloaded.Count, result.Reloaded.Sum(r => r.TargetRows),
                result.DryRun ? result.Reloaded.Sum(r => r.SourceRows) : result.RowsCopied, result.RunId is { } run ? $" (repair run {run})" : ""));
            foreach (var range in result.Reloaded)
            {
                VerifyCliSupport.PrintRange(range);
            }

            foreach (var range in result.SkippedExtra)
            {
                Console.Out.WriteLine(string.Format(c, "  range {0} left as it is: the target holds {1:N0} extra row(s); repair it with --delete-extra",
                    range.RangeId, range.ExtraRows));
            }

            if (!result.DryRun)
            {
                Console.Out.WriteLine("  " + (result.After ?? result.Before).Describe());
            }
        }
    }
}
