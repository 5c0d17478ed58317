using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Verification;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg verify --config C [--source S] [--table T] [--deep] [--json]</c>: compares each table with its source, range by
/// range, at any time after a run. Exit code 0 when every table equals its source, 1 when any differs, 2 on bad input.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var configOptions = new ConfigOptions();
        var table = CliOptions.Table();
        var json = CliOptions.Json("Print one object per table as JSON (the names of Test-SfPgTable's properties, camelCased).");
        var deep = new Option<bool>("--deep")
        {
            Description = "Also narrow each differing range down to keys: exact counts of missing, extra and changed rows with their first keys " +
                          "(ranges are then compared by row checksums, so rows changed in place are found too; only differing ranges' keys travel).",
        };
        var verbose = CliOptions.Verbose("Say where each table's ranges came from.");
        var logFormat = CliOptions.LogFormat();
        var command = new Command(
            "verify",
            "Compare each table with its source: a count per chunk range on both sides (and row checksums where the table sets verify: checksums). " +
            "The ranges are the chunks of the table's newest full run, else a fresh plan of the source; no rows travel for counts. " +
            "Exit code 0 when every table equals its source, 1 when any differs, 2 on bad input.")
        {
            table, deep, json, verbose, logFormat,
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
                var tables = await new TargetVerifier(config, reporter.Reporter)
                    .VerifyAsync(new VerifyRequest { Source = parse.GetValue(configOptions.Source), Table = parse.GetValue(table), Deep = parse.GetValue(deep) }, cancellationToken);
                if (parse.GetValue(json))
                {
                    output.Json(tables.Select(VerifyCliSupport.ToJson), VerifyCliSupport.Json);
                }
                else
                {
                    VerifyCliSupport.PrintTables(tables, output);
                }

                return tables.All(t => t.Equal) ? ExitCodes.Ok : ExitCodes.No;
            });
        });
        return command;
    }
}
