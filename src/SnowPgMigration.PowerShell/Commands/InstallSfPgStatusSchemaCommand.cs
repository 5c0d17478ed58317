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
    protected override void ProcessRecord() =>
        ForItem(null, () =>
        {
            var connection = ResolveConnection();
            if (!ShouldProcess(connection.ToString(), "Install the migration_status schema"))
            {
                return;
            }

            WriteObject(CallStatus(connection, (store, ct) => InstallAsync(store, connection, ct)));
        });

    internal static async Task<SfPgStatusSchema> InstallAsync(StatusStore store, SfPgConnection connection, CancellationToken cancellationToken)
    {
        // Through the store: naming its NpgsqlDataSource here would load Npgsql outside the private load context.
        var wasInstalled = await store.IsSchemaInstalledAsync(cancellationToken).ConfigureAwait(false);
        await store.InstallSchemaAsync(cancellationToken).ConfigureAwait(false);
        return new SfPgStatusSchema(connection, wasInstalled);
    }
}
