using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace SnowPgMigration.Tests.Support;

/// <summary>Runs the real psql client on a repository script, as a user would.</summary>
public static class Psql
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunScriptAsync(
        string connectionString, string repositoryPath, params string[] extraArguments)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var psql = File.Exists("/usr/lib/postgresql/15/bin/psql") ? "/usr/lib/postgresql/15/bin/psql" : "psql";
        var start = new ProcessStartInfo(psql)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "-X", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture),
            "-U", builder.Username!, "-d", builder.Database!, "-f", RepositoryFiles.Path(repositoryPath), .. extraArguments,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(builder.Password))
        {
            start.Environment["PGPASSWORD"] = builder.Password;
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output, await errors);
    }
}
