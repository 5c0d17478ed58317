using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Execution;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg ddl --config F [--source S] [--table T]</c>: prints the CREATE statements create_target would run, from
/// Snowflake's description of each source table, without connecting to the target. Exit 0 when every table has its
/// DDL, 1 when one cannot be made (a narrowing, an unknown column), 2 for a bad config or no matching table.
/// </summary>
internal static class DdlCommand
{
    public static Command Create()
    {
        var configOptions = new ConfigOptions();
        var table = CliOptions.Table("Only this table (target or Snowflake name).");
        var command = new Command("ddl", "Print the DDL that creates the target tables from Snowflake's description (the target is not contacted).") { table };
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
                var previews = await TargetDdlPreview.BuildAsync(config, parse.GetValue(configOptions.Source), parse.GetValue(table), null, cancellationToken);
                Print(previews, output);
                return previews.Any(p => p.Error is not null) ? ExitCodes.No : ExitCodes.Ok;
            });
        });
        return command;
    }

    private static void Print(IReadOnlyList<TargetTableDdlPreview> previews, CliOutput output)
    {
        foreach (var preview in previews)
        {
            output.Line($"-- {preview.SourceName}: {preview.SourceTable} -> {preview.Table}");
            if (preview.Error is not null)
            {
                output.Line($"-- cannot be created: {preview.Error}");
                continue;
            }

            foreach (var statement in preview.Statements)
            {
                output.Line(statement + ";");
            }
        }
    }
}
