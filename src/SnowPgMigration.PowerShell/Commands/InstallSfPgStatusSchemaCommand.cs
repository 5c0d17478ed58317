using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Install-SfPgStatusSchema: applies the migration_status schema (idempotent; safe to repeat and to run concurrently).</summary>
[Cmdlet(VerbsLifecycle.Install, "SfPgStatusSchema", DefaultParameterSetName = ConfigSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SfPgStatusSchema))]
public sealed class InstallSfPgStatusSchemaCommand : SfPgStatusCmdlet
{
    /// <summary>Keep the older Python tool's status tables (rows and all) as migration_status.legacy_*, then install.</summary>
    [Parameter]
    public SwitchParameter UpgradeLegacy { get; set; }

    protected override void ProcessRecord() =>
        ForItem(null, () =>
        {
            var connection = ResolveConnection();
            if (UpgradeLegacy)
            {
                var renames = CallStatus(connection, (store, ct) => store.UpgradeLegacySchemaAsync(apply: false, ct));
                var action = renames.Count == 0
                    ? "Install the migration_status schema (no older status tables found)"
                    : $"Keep the older tool's status tables as legacy_* ({string.Join("; ", renames)}) and install the migration_status schema";
                if (ShouldProcess(connection.ToString(), action))
                {
                    WriteObject(CallStatus(connection, (store, ct) => UpgradeAsync(store, connection, ct)));
                }

                return;
            }

            if (!ShouldProcess(connection.ToString(), "Install the migration_status schema"))
            {
                return;
            }

            WriteObject(CallStatus(connection, (store, ct) => InstallAsync(store, connection, ct)));
        });

    // Through the store, like InstallAsync: naming its NpgsqlDataSource here would load Npgsql outside the private load context.
    private static async Task<SfPgStatusSchema> UpgradeAsync(StatusStore store, SfPgConnection connection, CancellationToken cancellationToken)
    {
        var wasInstalled = await store.IsSchemaInstalledAsync(cancellationToken).ConfigureAwait(false);
        var renames = await store.UpgradeLegacySchemaAsync(apply: true, cancellationToken).ConfigureAwait(false);
        return new SfPgStatusSchema(connection, wasInstalled && renames.Count == 0);
    }

    private static async Task<SfPgStatusSchema> InstallAsync(StatusStore store, SfPgConnection connection, CancellationToken cancellationToken)
    {
        // Through the store: naming its NpgsqlDataSource here would load Npgsql outside the private load context.
        var wasInstalled = await store.IsSchemaInstalledAsync(cancellationToken).ConfigureAwait(false);
        await store.InstallSchemaAsync(cancellationToken).ConfigureAwait(false);
        return new SfPgStatusSchema(connection, wasInstalled);
    }
}
