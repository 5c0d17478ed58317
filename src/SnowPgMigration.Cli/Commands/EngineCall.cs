using System.Data.Common;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Config;
using SnowPgMigration.Engine.Errors;
using SnowPgMigration.Engine.Postgres;

namespace SnowPgMigration.Cli.Commands;

/// <summary>How the verbs that read or copy tables run their engine call: a catalogued error, or a target that cannot be reached, is printed with its code and fix and becomes the exit code.</summary>
internal static class EngineCall
{
    /// <param name="unreachableExitCode">The exit code when the target cannot be reached: the verb's "no" unless it treats that as bad input.</param>
    public static async Task<int> RunAsync(CliOutput output, MigrationConfig config, Func<Task<int>> call, int unreachableExitCode = ExitCodes.No)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (SfPgException ex)
        {
            return output.Fail(ex, ExitCodes.OfEngineError(ex));
        }
        catch (DbException ex) when (TargetConnectionFailure.From(ex, config.Postgres) is { } failure)
        {
            return output.Fail(failure, unreachableExitCode);
        }
    }
}
