using System.CommandLine;
using SnowPgMigration.Cli;

TerminationSignals.RestoreInterruptIfIgnored();
var root = new RootCommand("sfpg: copy Snowflake tables into PostgreSQL, resumably and verifiably.");
foreach (var command in CliCommands.All())
{
    root.Subcommands.Add(command);
}

// migrate and resume handle SIGINT/SIGTERM themselves and wait for the run to be recorded; the library's
// own handling would end the process after two seconds, whatever the engine was still doing.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
