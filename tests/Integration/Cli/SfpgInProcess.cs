using System.CommandLine;
using SnowPgMigration.Cli;

namespace SnowPgMigration.Tests.Integration.Cli;

/// <summary>sfpg invoked in this process with writers of the test's own, as InvocationConfiguration allows any host to.</summary>
internal static class SfpgInProcess
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliCommands.Root().Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
