using System.CommandLine;
using SnowPgMigration.Cli.Output;

namespace SnowPgMigration.Cli.Commands;

/// <summary>The options several verbs share, built in one place so their names, aliases and help read the same everywhere.</summary>
internal static class CliOptions
{
    public const string EnvFileHelp = "The .env file with the variables the config uses.";

    public static Option<FileInfo> Config(string description = "The config.json file.") =>
        new("--config", "-c") { Description = description, Required = true };

    /// <summary>--config where --connection may stand in for it (the status verbs).</summary>
    public static Option<FileInfo?> OptionalConfig(string description) => new("--config", "-c") { Description = description };

    public static Option<FileInfo?> EnvFile(string description = EnvFileHelp) => new("--env-file") { Description = description };

    public static Option<string?> Source(string description = "Only this source (source_name).") => new("--source", "-s") { Description = description };

    public static Option<string?> Table(string description = "Only this table (target or source name).") => new("--table", "-t") { Description = description };

    public static Option<string> RequiredTable(string description) => new("--table", "-t") { Description = description, Required = true };

    public static Option<Guid?> RunId(string description) => new("--run-id") { Description = description };

    public static Option<int?> First(string what) => new("--first") { Description = $"At most N {what}." };

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static Option<bool> Verbose(string description) => new("--verbose", "-v") { Description = description };

    public static Option<bool> DryRun(string description) => new("--dry-run") { Description = description };

    public static Option<LogFormat> LogFormat() => new("--log-format")
    {
        HelpName = "text|json",
        Description = "How log lines and progress are written on stderr: text (for people) or json (one object per line, for unattended hosts).",
        DefaultValueFactory = _ => Output.LogFormat.Text,
    };
}
