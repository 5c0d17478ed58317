using System.CommandLine;
using System.Text.Json;
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
        var config = VerifyCliSupport.ConfigOption();
        var envFile = VerifyCliSupport.EnvFileOption();
        var source = VerifyCliSupport.SourceOption();
        var table = new Option<string?>("--table", "-t") { Description = "Only this table (target or source name)." };
        var json = new Option<bool>("--json") { Description = "Print one object per table as JSON (the names of Test-SfPgTable's properties, camelCased)." };
        var deep = new Option<bool>("--deep")
        {
            Description = "Also narrow each differing range down to keys: exact counts of missing, extra and changed rows with their first keys " +
                          "(ranges are then compared by row checksums, so rows changed in place are found too; only differing ranges' keys travel).",
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say where each table's ranges came from." };
        var command = new Command(
            "verify",
            "Compare each table with its source: a count per chunk range on both sides (and row checksums where the table sets verify: checksums). " +
            "The ranges are the chunks of the table's newest full run, else a fresh plan of the source; no rows travel for counts. " +
            "Exit code 0 when every table equals its source, 1 when any differs, 2 on bad input.")
        {
            config, envFile, source, table, deep, json, verbose,
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
                var tables = await new TargetVerifier(loaded, new ConsoleReporter(parse.GetValue(verbose)))
                    .VerifyAsync(new VerifyRequest { Source = parse.GetValue(source), Table = parse.GetValue(table), Deep = parse.GetValue(deep) }, cancellationToken);
                if (parse.GetValue(json))
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(tables.Select(VerifyCliSupport.ToJson), VerifyCliSupport.Json));
                }
                else
                {
                    VerifyCliSupport.PrintTables(tables);
                }

                return tables.All(t => t.Equal) ? VerifyCliSupport.ExitEqual : VerifyCliSupport.ExitDifferent;
            });
        });
        return command;
    }
}
