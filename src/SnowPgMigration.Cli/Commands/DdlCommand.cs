using System.CommandLine;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg ddl --config F [--source S] [--table T]</c>: prints the CREATE statements create_target would run, from
/// Snowflake's description of each source table, without connecting to the target. Exit 0 when every table has its
/// DDL, 1 when one cannot be made (a narrowing, an unknown column), 2 for a bad config.
/// </summary>
internal static class DdlCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "The config.json file.", Required = true };
        var source = new Option<string?>("--source", "-s") { Description = "Only this source." };
        var table = new Option<string?>("--table", "-t") { Description = "Only this table (target or Snowflake name)." };
        var envFile = new Option<FileInfo?>("--env-file") { Description = "The .env file with the variables the config uses." };
        var command = new Command("ddl", "Print the DDL that creates the target tables from Snowflake's description (the target is not contacted).")
        {
            config, source, table, envFile,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = ConfigLoader.Load(parse.GetRequiredValue(config).FullName, new ConfigLoadOptions
            {
                SourceName = parse.GetValue(source),
                EnvFilePath = parse.GetValue(envFile)?.FullName,
            });
            if (!loaded.IsValid)
            {
                foreach (var line in ConfigReport.ToLines(loaded))
                {
                    Console.Error.WriteLine(line);
                }

                return 2;
            }

            IReadOnlyList<TargetTableDdlPreview> previews;
            try
            {
                previews = await TargetDdlPreview.BuildAsync(loaded.Config!, parse.GetValue(source), parse.GetValue(table), null, cancellationToken);
            }
            catch (SfPgException ex)
            {
                Console.Error.WriteLine($"error {ex.Code}: {ex.Message}");
                Console.Error.WriteLine($"  fix: {ex.RecommendedAction}");
                return 1;
            }

            foreach (var preview in previews)
            {
                Console.Out.WriteLine($"-- {preview.SourceName}: {preview.SourceTable} -> {preview.Table}");
                if (preview.Error is not null)
                {
                    Console.Out.WriteLine($"-- cannot be created: {preview.Error}");
                    continue;
                }

                foreach (var statement in preview.Statements)
                {
                    Console.Out.WriteLine(statement + ";");
                }
            }

            return previews.Any(p => p.Error is not null) ? 1 : 0;
        });
        return command;
    }
}
