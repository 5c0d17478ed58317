using System.CommandLine;
using SnowPgMigration.Cli;
using SnowPgMigration.Sandbox.Commands;

var root = new RootCommand("sfpg-sandbox: an emulated Snowflake SQL API backed by PostgreSQL, and the whole tool end to end on this machine, for trying and testing sfpg.")
{
    EmulatorCommand.Create(),
    SandboxCommand.Create(),
};

// As sfpg: a cancelled sandbox run gets the time to record itself and remove its cluster before the process ends.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationSignals.Grace + TimeSpan.FromSeconds(5) });
