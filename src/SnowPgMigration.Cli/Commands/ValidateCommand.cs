using System.CommandLine;
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
    public const int ExitValid = 0;
    public const int ExitInvalid = 1;

    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "The config.json file to check.",
            Required = true,
        };
        var source = new Option<string?>("--source", "-s")
        {
            Description = "Check that this source exists; the printed config hash then covers only it.",
        };
        var envFile = new Option<FileInfo?>("--env-file")
        {
            Description = "The .env file with the variables the config uses (default: the config's env_file, else .env beside the config).",
        };
        var connect = new Option<bool>("--connect")
        {
            Description = "Also log in to Snowflake and each target database, and check every source and target schema, table, column and privilege the config needs.",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the findings as JSON instead of one line each.",
        };

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

            if (parseResult.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                ConfigReport.WriteJson(result, stdout);
                stdout.WriteByte((byte)'\n');
            }
            else
            {
                foreach (var line in ConfigReport.ToLines(result))
                {
                    Console.Out.WriteLine(line);
                }
            }

            return result.IsValid ? ExitValid : ExitInvalid;
        });
        return command;
    }
}
