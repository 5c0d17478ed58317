using System.CommandLine;
using SnowPgMigration.Cli.Output;
using SnowPgMigration.Engine.Status;

namespace SnowPgMigration.Cli.Commands;

/// <summary>
/// <c>sfpg install-schema [--upgrade-legacy [--what-if]]</c>: apply the migration_status schema
/// (Install-SfPgStatusSchema); with --upgrade-legacy, first keep the older Python tool's status tables as legacy_*.
/// </summary>
internal static class InstallSchemaCommand
{
    public static Command Create()
    {
        var shared = new StatusCommandOptions();
        var upgradeLegacy = new Option<bool>("--upgrade-legacy")
        {
            Description = "Keep the older Python tool's status tables, views and indexes (rows and all) as migration_status.legacy_*, then install.",
        };
        var whatIf = new Option<bool>("--what-if") { Description = "With --upgrade-legacy: print the renames and change nothing." };
        var command = new Command("install-schema", "Install or update the migration_status schema in the status database (safe to repeat).");
        shared.AddTo(command);
        command.Options.Add(upgradeLegacy);
        command.Options.Add(whatIf);
        command.SetAction((parse, cancellationToken) =>
            shared.RunAsync(
                parse,
                async (store, ct) =>
                {
                    var before = await StatusSchema.IsInstalledAsync(store.DataSource, ct);
                    if (!parse.GetValue(upgradeLegacy))
                    {
                        await store.InstallSchemaAsync(ct);
                        return new { Installed = true, WasInstalled = before, LegacyRenames = (IReadOnlyList<string>)[] };
                    }

                    var apply = !parse.GetValue(whatIf);
                    var renames = await StatusSchema.UpgradeLegacyAsync(store.DataSource, apply, ct);
                    return new { Installed = apply, WasInstalled = before && renames.Count == 0, LegacyRenames = renames };
                },
                (result, target, output) =>
                {
                    foreach (var rename in result.LegacyRenames)
                    {
                        output.Line($"{(result.Installed ? "" : "what if: ")}{rename};");
                    }

                    output.Line(
                        !result.Installed ? $"what if: would install the migration_status schema in {target}; nothing was changed."
                        : result.WasInstalled ? $"migration_status schema in {target} was already installed; applied again (no change)."
                        : $"migration_status schema installed in {target}.");
                },
                cancellationToken));
        return command;
    }
}
