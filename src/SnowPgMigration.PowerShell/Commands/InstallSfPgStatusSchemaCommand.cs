using System.Management.Automation;
using SnowPgMigration.Engine.Status;
using SnowPgMigration.PowerShell.Infrastructure;
using SnowPgMigration.PowerShell.Models;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>Install-SfPgStatusSchema: applies the migration_status schema (idempotent; safe to repeat and to run concurrently).</summary>
[Cmdlet(VerbsLifecycle.Install, "SfPgStatusSchema", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
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

            var wasInstalled = CallStatus(connection, async (store, ct) =>
            {
                var installed = await StatusSchema.IsInstalledAsync(store.DataSource, ct).ConfigureAwait(false);
                await store.InstallSchemaAsync(ct).ConfigureAwait(false);
                return installed;
            });
            WriteObject(new SfPgStatusSchema(connection, wasInstalled));
        });
}
