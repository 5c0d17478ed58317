using System.CommandLine;
using SnowPgMigration.Cli;

var root = new RootCommand("sfpg: copy Snowflake tables into PostgreSQL, resumably and verifiably.");
foreach (var command in CliCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
