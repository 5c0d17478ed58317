using System.CommandLine;

namespace SnowPgMigration.Cli;

/// <summary>The verbs of sfpg, one file each under Commands/.</summary>
internal static class CliCommands
{
    /// <summary>sfpg with every verb: what the process runs, and what a test invokes in-process with its own writers.</summary>
    public static RootCommand Root()
    {
        var root = new RootCommand("sfpg: copy Snowflake tables into PostgreSQL, resumably and verifiably.");
        foreach (var command in All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static IEnumerable<Command> All()
    {
        yield return Commands.ValidateCommand.Create();
        yield return Commands.MigrateCommand.CreateMigrate();
        yield return Commands.MigrateCommand.CreateResume();
        yield return Commands.RunsCommand.Create();
        yield return Commands.RunStatusCommand.Create();
        yield return Commands.TablesCommand.Create();
        yield return Commands.ChunksCommand.Create();
        yield return Commands.ResetChunkCommand.Create();
        yield return Commands.StopRunCommand.Create();
        yield return Commands.CleanupCommand.Create();
        yield return Commands.InstallSchemaCommand.Create();
        yield return Commands.IntegrityCommand.Create();
        yield return Commands.VerifyCommand.Create();
        yield return Commands.RepairCommand.Create();
        yield return Commands.DdlCommand.Create();
    }
}
