using System.CommandLine;

namespace SnowPgMigration.Cli;

/// <summary>The verbs of sfpg, one file each under Commands/.</summary>
internal static class CliCommands
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.ValidateCommand.Create();
        yield return Commands.MigrateCommand.CreateMigrate();
        yield return Commands.MigrateCommand.CreateResume();
        yield return Commands.EmulatorCommand.Create();
        yield return Commands.SandboxCommand.Create();
    }
}
