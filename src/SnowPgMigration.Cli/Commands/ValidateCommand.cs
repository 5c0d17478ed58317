using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg validate --config F [--source S] [--env-file F] [--connect] [--json]</c>: reports every problem of a config file;
/// with <c>--connect</c> also what the servers lack (see <see cref="ConnectionCheck"/>).
/// Exit code 0 when there is no error (warnings allowed), 1 when there is at least one - including a config
/// file that does not exist or cannot be read.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config("The config.json file to check.");
        var source = CliOptions.Source("Check that this source exists; the printed config hash then covers only it.");
        var envFile = CliOptions.EnvFile(CliOptions.EnvFileHelp + " Default: the config's env_file, else .env beside the config.");
        var connect = new Option<bool>("--connect")
        {
            Description = "Also log in to Snowflake and each target database, and check every source and target schema, table, column and privilege the config needs.",
        };
        var json = CliOptions.Json("Print the findings as JSON instead of one line each.");

        var command = new Command("validate", "Check a config file and report every problem in it, with its JSON path, code and fix.")
        {
            config,
            source,
            envFile,
            connect,
            json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new ConfigLoadOptions
            {
                SourceName = parseResult.GetValue(source),
                EnvFilePath = parseResult.GetValue(envFile)?.FullName,
                CheckPrivateKey = true,
            };
            var path = parseResult.GetRequiredValue(config);
            var result = ConfigLoader.Load(path.ToString(), options);
            if (parseResult.GetValue(connect))
            {
                result = await ConnectionCheck.AddToAsync(result, options.SourceName, snowflakeOptions: null, cancellationToken);
            }

            var output = CliOutput.Of(parseResult);
            if (parseResult.GetValue(json))
            {
                using var buffer = new MemoryStream();
                ConfigReport.WriteJson(result, buffer);
                output.Line(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            }
            else
            {
                foreach (var line in ConfigReport.ToLines(result))
                {
                    output.Line(line);
                }
            }

            return result.IsValid ? ExitCodes.Ok : ExitCodes.No;
        });
        return command;
    }
}
