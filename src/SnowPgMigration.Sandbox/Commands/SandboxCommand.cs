using System.CommandLine;
using SnowPgMigration.Cli;
using SnowPgMigration.Cli.Commands;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Errors;

namespace SnowPgMigration.Sandbox.Commands;

/// <summary>
/// <c>sfpg-sandbox sandbox</c>: the whole tool on this machine in one command, with no Snowflake account.
/// Exit code 0 only when every table verified equal.
/// </summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        var scale = new Option<double>("--scale")
        {
            Description = "Size of the demo warehouse: 1 is about 330,000 rows; 10 is a real workout.",
            DefaultValueFactory = _ => 1.0,
        };
        var keep = new Option<bool>("--keep") { Description = "Leave the cluster and the emulator (and Azurite, with --unload) running after the run, until Ctrl+C, and print how to explore them." };
        var directory = new Option<DirectoryInfo>("--dir")
        {
            Description = "Folder for the sandbox's config file.",
            DefaultValueFactory = _ => new DirectoryInfo("sandbox"),
        };
        var threads = new Option<int>("--threads") { Description = "Workers per table.", DefaultValueFactory = _ => 4 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every chunk as it commits." };
        var unload = new Option<bool>("--unload")
        {
            Description = "Load the full-load tables through Snowflake's parallel unload into an Azure Blob stage: starts Azurite, the Azure Storage emulator (npm ci --prefix tools/azurite).",
        };

        var command = new Command("sandbox", "Run the tool end to end against an emulated Snowflake and a throwaway PostgreSQL: full load, incremental change, verification.")
        {
            scale, keep, directory, threads, verbose, unload,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!new NumberRanges(parse).Between(scale, 0, 1000, "times the demo size").Between(threads, 1, 64, "workers per table").Report())
            {
                return 2;
            }

            var options = new SandboxOptions(parse.GetValue(scale), parse.GetValue(keep), parse.GetRequiredValue(directory).FullName, parse.GetValue(threads), parse.GetValue(unload));
            try
            {
                return await new SandboxSession(options, new CliReporter(CliOutput.Of(parse), parse.GetValue(verbose), LogFormat.Text).Reporter, Console.Out).RunAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("Cancelled; the sandbox was removed.");
                return 1;
            }
            catch (SfPgException ex)
            {
                Console.Error.WriteLine($"error {ex.Code}: {ex.Message}");
                Console.Error.WriteLine($"  fix: {ex.RecommendedAction}");
                return 1;
            }
        });
        return command;
    }
}
