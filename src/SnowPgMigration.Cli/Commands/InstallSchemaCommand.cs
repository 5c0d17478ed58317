using System.CommandLine;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary><c>sfpg install-schema</c>: apply the migration_status schema (Install-SfPgStatusSchema).</summary>
internal static class InstallSchemaCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var command = new Command("install-schema", "Install or update the migration_status schema in the status database (safe to repeat).");
        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
            shared.RunAsync(
                parse,
                async (store, ct) =>
                {
                    var before = await StatusSchema.IsInstalledAsync(store.DataSource, ct);
                    await store.InstallSchemaAsync(ct);
                    return new { Installed = true, WasInstalled = before };
                },
                (result, target) => Console.Out.WriteLine(result.WasInstalled
                    ? $"migration_status schema in {target} was already installed; applied again (no change)."
                    : $"migration_status schema installed in {target}."),
                cancellationToken));
        return command;
    }
}
