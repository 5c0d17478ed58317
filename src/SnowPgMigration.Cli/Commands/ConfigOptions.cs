using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Config;

namespace SnowPgMigration.Cli.Commands;

/// <summary>--config, --env-file and --source of the verbs that work from a config file, and loading it.</summary>
internal sealed class ConfigOptions(string configHelp = "The config.json file.", string sourceHelp = "Only this source (source_name).")
{
    public Option<FileInfo> Config { get; } = CliOptions.Config(configHelp);

    public Option<FileInfo?> EnvFile { get; } = CliOptions.EnvFile();

    public Option<string?> Source { get; } = CliOptions.Source(sourceHelp);

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Config);
        command.Options.Add(EnvFile);
        command.Options.Add(Source);
    }

    /// <summary>The config, or null after printing its problems.</summary>
    public MigrationConfig? Load(ParseResult parse, CliOutput output)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(output);
        var loaded = ConfigLoader.Load(parse.GetRequiredValue(Config).FullName, new ConfigLoadOptions
        {
            SourceName = parse.GetValue(Source),
            EnvFilePath = parse.GetValue(EnvFile)?.FullName,
        });
        if (loaded.IsValid)
        {
            return loaded.Config;
        }

        output.ConfigProblems(loaded);
        return null;
    }
}
