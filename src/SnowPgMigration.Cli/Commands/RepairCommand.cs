using System.CommandLine;
using System.Globalization;
using SnowPgMigration.Cli.Output;
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
        var configOptions = new ConfigOptions();
        var table = CliOptions.RequiredTable("The table to repair (target or source name).");
        var dryRun = CliOptions.DryRun("Show the ranges and row counts the repair would touch; change nothing.");
        var deleteExtra = new Option<bool>("--delete-extra")
        {
            Description = "Also repair ranges where the target holds more rows than the source, deleting the extra rows (at most --max-delete-ratio of the table).",
        };
        var maxDeleteRatio = new Option<double>("--max-delete-ratio")
        {
            Description = "With --delete-extra: the largest fraction of the table's target rows the repair may delete; above it, it refuses.",
            DefaultValueFactory = _ => RepairRequest.DefaultMaxDeleteRatio,
        };
        var json = CliOptions.Json("Print the repair of each table as JSON.");
        var verbose = CliOptions.Verbose("Show every range as it commits.");
        var logFormat = CliOptions.LogFormat();
        var command = new Command(
            "repair",
            "Re-load exactly the ranges of a table that differ from its source: each range's target rows are deleted and the source's copied in one transaction, " +
            "recorded as a run of kind 'repair'. Ranges where the target holds extra rows need --delete-extra. " +
            "Exit code 0 when the table equals its source afterwards, 1 when it still differs, 2 on bad input or a refusal.")
        {
            table, dryRun, deleteExtra, maxDeleteRatio, json, verbose, logFormat,
        };
        configOptions.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = CliOutput.Of(parse);
            if (configOptions.Load(parse, output) is not { } config)
            {
                return ExitCodes.BadInput;
            }

            return await EngineCall.RunAsync(output, config, async () =>
            {
                var reporter = new CliReporter(output, parse.GetValue(verbose), parse.GetValue(logFormat));
                var results = await new TableRepairer(config, reporter.Reporter).RepairAsync(new RepairRequest
                {
                    Source = parse.GetValue(configOptions.Source),
                    Table = parse.GetRequiredValue(table),
                    DryRun = parse.GetValue(dryRun),
                    DeleteExtra = parse.GetValue(deleteExtra),
                    MaxDeleteRatio = parse.GetValue(maxDeleteRatio),
                }, cancellationToken);
                if (parse.GetValue(json))
                {
                    output.Json(results.Select(ToJson), VerifyCliSupport.Json);
                }
                else
                {
                    Print(results, output);
                }

                return results.All(r => r.DryRun || r.Equal) ? ExitCodes.Ok : ExitCodes.No;
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

    private static void Print(IReadOnlyList<RepairResult> results, CliOutput output)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var result in results)
        {
            var verb = result.DryRun ? "would re-load" : "re-loaded";
            output.Line(string.Format(c, "{0} ({1}): {2} {3} range(s): {4:N0} target row(s) deleted, {5:N0} source row(s) copied{6}",
                result.Table, result.SourceName, verb, result.Reloaded.Count, result.Reloaded.Sum(r => r.TargetRows),
                result.DryRun ? result.Reloaded.Sum(r => r.SourceRows) : result.RowsCopied, result.RunId is { } run ? $" (repair run {run})" : ""));
            foreach (var range in result.Reloaded)
            {
                VerifyCliSupport.PrintRange(range, output);
            }

            foreach (var range in result.SkippedExtra)
            {
                output.Line(string.Format(c, "  range {0} left as it is: the target holds {1:N0} extra row(s); repair it with --delete-extra",
                    range.RangeId, range.ExtraRows));
            }

            if (!result.DryRun)
            {
                output.Line("  " + (result.After ?? result.Before).Describe());
            }
        }
    }
}
