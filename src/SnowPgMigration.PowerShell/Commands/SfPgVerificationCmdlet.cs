using System.Management.Automation;

namespace SnowPgMigration.PowerShell.Commands;

/// <summary>What Test-SfPgTable, Find-SfPgGap, Repair-SfPgTable and Test-SfPgIntegrity share: a config path that also binds from the pipeline, so their objects chain.</summary>
public abstract class SfPgVerificationCmdlet : SfPgConfigCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public override string ConfigPath { get; set; } = "";
}
