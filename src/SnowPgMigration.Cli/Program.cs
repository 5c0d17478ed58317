using System.CommandLine;
using SnowPgMigration.Cli;

TerminationSignals.RestoreInterruptIfIgnored();
var root = CliCommands.Root();

// On SIGINT/SIGTERM the library cancels the command's token and ends the process once the command returns,
// or after this timeout. Its default of two seconds cut a stopped run off while it was still recording
// itself; migrate and resume bound their own wait (TerminationSignals.Grace), which ends first.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationSignals.Grace + TimeSpan.FromSeconds(5) });
